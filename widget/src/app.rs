//! The widget's frame: the tabs (Test Drives · Signup · Login), the screen of the tab chosen,
//! and the "Powered By" footer with the reseller's name and logo.

use leptos::prelude::*;

use crate::login::{LoginForm, LoginTab};
use crate::shell::{FirstPaint, Shell, Tab};
use crate::signup::{SignupForm, SignupTab};
use crate::test_drives::{Drives, DrivesTab};
use crate::words::{fill, w};

#[component]
pub fn Widget(shell: Shell, first_paint: FirstPaint) -> impl IntoView {
    let config = shell.config.get_value();
    let signup = SignupForm::new(&config, &first_paint);
    let login = LoginForm::default();
    let drives = Drives::default();
    // Only a change of tab draws another screen; a click on the current one keeps it as it is.
    let current = Memo::new(move |_| shell.tab.get());
    let tab = move |tab: Tab, label: &'static str| {
        view! {
            <button
                type="button"
                class="tab"
                aria-current=move || (current.get() == tab).then_some("page")
                on:click=move |_| shell.tab.set(tab)
            >
                {label}
            </button>
        }
    };
    let logo = config.logo_url.clone().map(|src| {
        view! { <img class="logo" src=src alt=fill(w().logo, &[&config.reseller_name])/> }
    });
    view! {
        <nav class="tabs" aria-label=fill(w().tabs_label, &[&config.reseller_name])>
            {tab(Tab::TestDrives, w().test_drives)}
            {tab(Tab::Signup, w().signup)}
            {tab(Tab::Login, w().login)}
        </nav>
        <div id="portico-panel">
            {move || match current.get() {
                Tab::Signup => view! { <SignupTab shell form=signup/> }.into_any(),
                Tab::Login => view! { <LoginTab shell form=login drives/> }.into_any(),
                Tab::TestDrives => view! { <DrivesTab shell drives/> }.into_any(),
            }}
        </div>
        <footer class="powered">{logo}{w().powered_by}<strong>{config.reseller_name.clone()}</strong></footer>
    }
}
