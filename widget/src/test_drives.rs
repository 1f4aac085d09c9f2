//! The Test Drives tab: the reseller's catalog of time-boxed trials, open to anyone visiting, so a
//! visitor sees what they may try before signing up.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portico_shared::test_drives::TestDrive;

use crate::api::{self, Failure};
use crate::config::FrameConfig;

#[derive(Clone)]
enum Catalog {
    Loading,
    Offered(Vec<TestDrive>),
    Failed(String),
}

#[component]
pub fn TestDrivesPanel(config: FrameConfig, on_signup: Callback<()>, on_login: Callback<()>) -> impl IntoView {
    let catalog = RwSignal::new(Catalog::Loading);
    let key = config.key.clone();
    spawn_local(async move {
        catalog.set(match api::test_drives(&key).await {
            Ok(drives) => Catalog::Offered(drives),
            Err(Failure::Message(message)) => Catalog::Failed(message),
            Err(Failure::Fields(_)) => Catalog::Failed("The test drives could not be loaded.".into()),
        });
    });
    let reseller = config.reseller_name;
    view! {
        <section class="panel" aria-labelledby="portico-drives">
            <h1 id="portico-drives">"Test Drives"</h1>
            {move || match catalog.get() {
                Catalog::Loading => view! { <p class="portico-loading" role="status">"Loading…"</p> }.into_any(),
                Catalog::Failed(message) => view! { <p class="form-error" role="alert">{message}</p> }.into_any(),
                Catalog::Offered(drives) if drives.is_empty() => {
                    view! { <p class="note">{format!("{reseller} offers no test drives at the moment.")}</p> }
                        .into_any()
                }
                Catalog::Offered(drives) => view! {
                    <ul class="drives">
                        {drives.into_iter().map(|drive| view! {
                            <li class="drive">
                                <h2>{drive.name.clone()}</h2>
                                {(!drive.description.is_empty()).then(|| view! { <p class="description">{drive.description.clone()}</p> })}
                                <p class="hint">{drive.facts()}</p>
                            </li>
                        }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
            <p class="note">
                "Launching needs a verified account. "
                <button type="button" class="link" on:click=move |_| on_signup.run(())>"Signup"</button>
                " or "
                <button type="button" class="link" on:click=move |_| on_login.run(())>"Login"</button>
                ". Launching from this page is not available yet."
            </p>
        </section>
    }
}
