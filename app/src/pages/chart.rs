//! Charts drawn as SVG on the server: readable before the wasm arrives, scaled by the browser,
//! with their figures in a table for screen readers (the picture itself is one labelled image).

use leptos::prelude::*;
use portico_shared::money::Money;

const WIDTH: i64 = 720;
const HEIGHT: i64 = 200;
const AXIS: i64 = 24;

/// Two bars a month: usage at customer cost and what was billed.
#[component]
pub fn MonthlyBars(title: String, months: Vec<(String, Money, Money)>) -> impl IntoView {
    let top = months.iter().flat_map(|(_, a, b)| [a.minor, b.minor]).max().unwrap_or(0).max(1);
    let slot = WIDTH / i64::try_from(months.len().max(1)).unwrap_or(1);
    let bar = (slot - 12) / 2;
    let height = |minor: i64| (minor.max(0) * (HEIGHT - AXIS - 16)) / top;
    let bars = months
        .iter()
        .enumerate()
        .map(|(n, (label, usage, billed))| {
            let x = i64::try_from(n).unwrap_or(0) * slot + 6;
            let (used, paid) = (height(usage.minor), height(billed.minor));
            view! {
                <g>
                    <rect class="bar-usage" x=x y=HEIGHT - AXIS - used width=bar height=used>
                        <title>{format!("{label}: usage {}", usage.format())}</title>
                    </rect>
                    <rect class="bar-billed" x=x + bar y=HEIGHT - AXIS - paid width=bar height=paid>
                        <title>{format!("{label}: billed {}", billed.format())}</title>
                    </rect>
                    <text class="axis-label" x=x + bar y=HEIGHT - 8 text-anchor="middle">{label.clone()}</text>
                </g>
            }
        })
        .collect_view();
    let rows = months
        .into_iter()
        .map(|(label, usage, billed)| {
            view! { <tr><th scope="row">{label}</th><td>{usage.format()}</td><td>{billed.format()}</td></tr> }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <figcaption>{title.clone()}
                <span class="legend"><span class="swatch bar-usage"></span>"Usage at customer cost"
                <span class="swatch bar-billed"></span>"Billed"</span>
            </figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=title.clone()>
                <line class="axis" x1="0" y1=HEIGHT - AXIS x2=WIDTH y2=HEIGHT - AXIS/>
                {bars}
            </svg>
            <table class="visually-hidden">
                <caption>{title}</caption>
                <thead><tr><th scope="col">"Month"</th><th scope="col">"Usage"</th><th scope="col">"Billed"</th></tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </figure>
    }
}

/// One bar per entry, longest first, with its amount at its end.
#[component]
pub fn RankedBars(title: String, entries: Vec<(String, String, Money)>) -> impl IntoView {
    let top = entries.iter().map(|(_, _, money)| money.minor).max().unwrap_or(0).max(1);
    let row = 30;
    let height = i64::try_from(entries.len()).unwrap_or(0) * row + 4;
    let bars = entries
        .into_iter()
        .enumerate()
        .map(|(n, (href, label, money))| {
            let y = i64::try_from(n).unwrap_or(0) * row;
            let width = (money.minor.max(0) * 420) / top;
            view! {
                <a href=href>
                    <text class="bar-label" x="0" y=y + 19>{label.clone()}</text>
                    <rect class="bar-billed" x="200" y=y + 6 width=width height="18">
                        <title>{format!("{label}: {}", money.format())}</title>
                    </rect>
                    <text class="bar-value" x=206 + width y=y + 19>{money.format()}</text>
                </a>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <figcaption>{title.clone()}</figcaption>
            // Not one image: each bar is a link to its customer, named by its text.
            <svg viewBox=format!("0 0 {WIDTH} {height}") aria-label=title>{bars}</svg>
        </figure>
    }
}
