//! The Cloud Support console (the platform's staff): one queue of link and unlink requests across
//! resellers, each with what the agent needs to decide (the customer, the AWS account, the
//! checked role, the history) and the decisions: approve, reject with a reason, or ask.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use portico_shared::cloud_links::{AccountKind, LinkAction, LinkState, QueueFilter, SupportRequest};
use portico_shared::Field;
use portico_shared::VariantArray;

use crate::api::cloud::{cloud_support_page, DecideCloudRequest};
use crate::erased::IntoAnySync;
use crate::layout::SignedInLayout;
use crate::pages::cloud_link::{LinkBadge, LinkHistory};
use crate::pages::failure_view;
use crate::pages::inputs::{field_errors, form_failure, stored, SubmitButton, TextArea};

#[component]
pub fn CloudSupportPage() -> impl IntoView {
    let params = use_query_map();
    let filter = Memo::new(move |_| params.with(|p| p.get("filter").unwrap_or_default()));
    let decide = ServerAction::<DecideCloudRequest>::new();
    let acting = RwSignal::new(String::new());
    let decided = stored(decide);
    let data = Resource::new_serde_wb(move || (filter.get(), decided.get()), |(filter, _)| cloud_support_page(filter));
    view! {
        <Title text="Cloud Support"/>
        <Transition fallback=|| view! { <p class="loading">"Loading requests…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => view! {
                        <SignedInLayout user=page.user>
                            <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">"Home"</a>" / Cloud Support"</nav>
                            <h1>"Cloud Support"</h1>
                            <p class="lede">"Requests to link or unlink customers' AWS accounts, from every reseller, the longest-waiting first."</p>
                            <FilterForm selected=page.filter/>
                            <RequestList requests=page.requests filter=page.filter decide acting/>
                        </SignedInLayout>
                    }
                    .into_any_sync(),
                    Err(error) => failure_view(error),
                }
            })}
        </Transition>
    }
}

/// A plain GET form: the filtered queue is an address an agent can bookmark.
#[component]
fn FilterForm(selected: QueueFilter) -> impl IntoView {
    view! {
        <form class="search" method="get" action="/cloud-support">
            <div class="field">
                <label for="queue-filter">"Show"</label>
                <select id="queue-filter" name="filter">
                    {QueueFilter::VARIANTS.iter().copied().map(|filter| view! {
                        <option value=filter.as_str() selected=filter == selected>{filter.label()}</option>
                    }).collect_view()}
                </select>
            </div>
            <button type="submit">"Show"</button>
        </form>
    }
}

#[component]
fn RequestList(
    requests: Vec<SupportRequest>,
    filter: QueueFilter,
    decide: ServerAction<DecideCloudRequest>,
    acting: RwSignal<String>,
) -> impl IntoView {
    if requests.is_empty() {
        let message = match filter {
            QueueFilter::Waiting => "Nothing waits for Cloud Support. New link and unlink requests appear here.",
            _ => "No requests in this view.",
        };
        return view! { <div class="empty"><p><strong>{message}</strong></p></div> }.into_any_sync();
    }
    view! {
        <ul class="requests">
            {requests.into_iter().map(|request| view! { <RequestCard request decide acting/> }).collect_view()}
        </ul>
    }
    .into_any_sync()
}

#[component]
fn RequestCard(
    request: SupportRequest,
    decide: ServerAction<DecideCloudRequest>,
    acting: RwSignal<String>,
) -> impl IntoView {
    let id = request.account.to_string();
    let mine = move || acting.with(|last| *last == id);
    let outcome = move || decide.value().get().filter(|_| mine());
    let errors = field_errors(outcome.clone());
    let failure = form_failure(outcome);
    let pending = decide.pending();
    let title = match (request.kind, request.link.state) {
        (_, LinkState::UnlinkRequested) => format!("Unlink · AWS account {}", request.account_id),
        (AccountKind::New, _) => format!("New account · {}", request.account_name.clone().unwrap_or_default()),
        (AccountKind::Existing, _) => format!("Link · AWS account {}", request.account_id),
    };
    let title_id = format!("request-{}", request.account);
    let prefix = format!("decide-{}", request.account);
    let (account, version) = (request.account.to_string(), request.version.to_string());
    let decision = |step: LinkAction, label: &'static str, busy: &'static str, note: Option<&'static str>| {
        let (submitted, account, version) = (account.clone(), account.clone(), version.clone());
        let id_prefix = format!("{prefix}-{}", step.as_str());
        view! {
            <ActionForm action=decide attr:class="details-form" attr:novalidate=true on:submit=move |_| acting.set(submitted.clone())>
                {view! {
                    <input type="hidden" name="account" value=account/>
                    <input type="hidden" name="version" value=version/>
                    <input type="hidden" name="action" value=step.as_str()/>
                    {note.map(|label| view! {
                        <TextArea field=Field::Note label value=String::new() errors id_prefix=id_prefix.clone() arg=""/>
                    })}
                    <div class="form-actions"><SubmitButton pending label busy/></div>
                }
                .into_any_sync()}
            </ActionForm>
        }
    };
    let actions = match request.link.state {
        LinkState::Requested => view! {
            <div class="decisions">
                {decision(LinkAction::Approve, "Approve", "Approving…", None)}
                <details class="confirm">
                    <summary class="button">"Ask for more information…"</summary>
                    {decision(LinkAction::Inquire, "Send question", "Sending…", Some("Question for the reseller"))}
                </details>
                <details class="confirm">
                    <summary class="button danger">"Reject…"</summary>
                    {decision(LinkAction::Reject, "Reject request", "Rejecting…", Some("Reason, shown to the reseller"))}
                </details>
            </div>
        }
        .into_any_sync(),
        LinkState::UnlinkRequested => view! {
            <div class="decisions">
                <details class="confirm">
                    <summary class="button danger">"Approve unlink…"</summary>
                    <p>"Remove this account from the platform's AWS organization?"</p>
                    {decision(LinkAction::Approve, "Approve unlink", "Unlinking…", None)}
                </details>
                <details class="confirm">
                    <summary class="button">"Keep linked…"</summary>
                    {decision(LinkAction::Reject, "Keep linked", "Saving…", Some("Reason, shown to the reseller"))}
                </details>
            </div>
        }
        .into_any_sync(),
        _ => ().into_any_sync(),
    };
    let role = request.role_arn.clone().unwrap_or_else(|| "None".into());
    view! {
        <li class="card" aria-labelledby=title_id.clone()>
            <h2 class="section" id=title_id.clone()>{title}</h2>
            <dl class="facts">
                <dt>"Reseller"</dt><dd>{request.reseller.clone()}</dd>
                <dt>"Customer"</dt><dd>{request.customer_name.clone()}</dd>
                <dt>"Root e-mail"</dt><dd>{request.email.clone()}</dd>
                {match request.kind {
                    AccountKind::Existing => view! { <dt>"AWS Role ARN"</dt><dd><code>{role}</code></dd> }.into_any_sync(),
                    AccountKind::New => view! {
                        <dt>"Account name"</dt><dd>{request.account_name.clone()}</dd>
                        <dt>"Support plan"</dt><dd>{request.support_plan.clone()}</dd>
                    }.into_any_sync(),
                }}
                <dt>"Link"</dt><dd><LinkBadge link=request.link.clone()/></dd>
            </dl>
            <p class="form-error" role="alert">{failure}</p>
            {actions}
            <LinkHistory link=request.link kind=request.kind/>
        </li>
    }
}
