use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::current_user;
use crate::layout::SignedInLayout;
use crate::pages::failure_view;

/// Home: the modules a reseller works in.
#[component]
pub fn HomePage() -> impl IntoView {
    let user = Resource::new(|| (), |_| current_user());
    view! {
        <Title text="Home"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(user) => view! {
                        <SignedInLayout user>
                            <h1>"Home"</h1>
                            <ul class="modules">
                                <li>
                                    <a class="module" href="/customers">
                                        <span class="module-name">"Customers"</span>
                                        <span class="module-help">"Your end customers, their signups and their accounts."</span>
                                    </a>
                                </li>
                            </ul>
                        </SignedInLayout>
                    }
                    .into_any(),
                    Err(error) => failure_view(error),
                }
            })}
        </Suspense>
    }
}
