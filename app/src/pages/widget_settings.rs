//! Widget settings: the embed tag with its key (copy, rotate), the websites that may embed the
//! widget, its name, license link, colour and logo, the signup options, and a live preview.

use leptos::prelude::*;
use leptos_meta::Title;
use portico_shared::branding::WidgetSettings;
use portico_shared::signup_options::SignupOptions;
use portico_shared::Field;

use crate::api::settings::{
    widget_settings_page, RotateWidgetKey, SaveSignupOptions, SaveWidgetSettings, WidgetSettingsData,
};
use crate::erased::IntoAnySync;
use crate::layout::SignedInLayout;
use crate::pages::copy::CopyButton;
use crate::pages::failure_view;
use crate::pages::inputs::{field_errors, focus_first_error, form_failure, stored, SubmitButton, TextArea, TextField};
use crate::PortalError;

#[component]
pub fn WidgetSettingsPage() -> impl IntoView {
    let save = ServerAction::<SaveWidgetSettings>::new();
    let options = ServerAction::<SaveSignupOptions>::new();
    let rotate = ServerAction::<RotateWidgetKey>::new();
    let saves = [stored(save), stored(options), stored(rotate)];
    // A save reloads the page's data, and with it the preview, so both show what is stored.
    let generation = Memo::new(move |_| saves.iter().map(|count| count.get()).sum::<usize>());
    let data = Resource::new_serde_wb(move || generation.get(), |_| widget_settings_page());
    view! {
        <Title text="Widget settings"/>
        <Transition fallback=|| view! { <p class="loading">"Loading widget settings…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let WidgetSettingsData { settings, signup_options, snippet, preview_url, .. } = page.data;
                        view! {
                            <SignedInLayout user=page.user>
                                <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">"Home"</a>" / Widget settings"</nav>
                                <h1>"Widget settings"</h1>
                                <div class="settings-grid">
                                    <div>
                                        <EmbedCode snippet rotate/>
                                        <AppearanceForm settings action=save/>
                                        <SignupOptionsForm options=signup_options action=options/>
                                    </div>
                                    <Preview url=preview_url generation/>
                                </div>
                            </SignedInLayout>
                        }
                        .into_any_sync()
                    }
                    Err(error) => failure_view(error),
                }
            })}
        </Transition>
    }
}

/// What a save did: saved, or why not (field errors show at their fields).
#[component]
fn Saved(value: Signal<Option<Result<(), PortalError>>>) -> impl IntoView {
    let failure = form_failure(move || value.get());
    view! {
        <p class="form-error" role="alert">{failure}</p>
        <p class="notice" role="status">{move || matches!(value.get(), Some(Ok(()))).then_some("Saved.")}</p>
    }
}

#[component]
fn EmbedCode(snippet: Option<String>, rotate: ServerAction<RotateWidgetKey>) -> impl IntoView {
    let body = match snippet {
        Some(snippet) => view! {
            <p class="help" id="snippet-help">"Paste this tag where the widget should appear on your website."</p>
            <textarea id="snippet" class="snippet" readonly rows="3" aria-label="Embed code" aria-describedby="snippet-help">{snippet.clone()}</textarea>
            <div class="form-actions">
                <CopyButton text=snippet label="Copy the embed code".into()/>
            </div>
        }
        .into_any_sync(),
        None => view! { <p class="empty">"Your widget has no key yet: save the settings below to get one."</p> }.into_any_sync(),
    };
    view! {
        <section class="card" aria-labelledby="embed-title">
            <h2 id="embed-title" class="section">"Embed code"</h2>
            {body}
            <details class="confirm">
                <summary class="small danger">"Rotate the key…"</summary>
                <p>"The current key stops working at once: your websites show that it was revoked until you paste the new embed code."</p>
                <ActionForm action=rotate>
                    {view! {
                        <button type="submit" class="small danger">"Rotate the key"</button>
                    }
                    .into_any_sync()}
                </ActionForm>
            </details>
        </section>
    }
}

#[component]
fn AppearanceForm(settings: WidgetSettings, action: ServerAction<SaveWidgetSettings>) -> impl IntoView {
    let pending = action.pending();
    let errors = field_errors(move || action.value().get());
    focus_first_error(errors);
    let input = settings.to_input();
    let text = move |field: Field, label: &'static str, kind: &'static str, value: String| {
        view! { <TextField field label kind autocomplete="off" required=false value errors id_prefix="widget" arg="settings"/> }
    };
    view! {
        <section class="card" aria-labelledby="appearance-title">
            <h2 id="appearance-title" class="section">"Appearance and websites"</h2>
            <ActionForm action attr:class="details-form" attr:novalidate=true>
                {view! {
                    <Saved value=Signal::derive(move || action.value().get())/>
                    {text(Field::ResellerName, "Name", "text", input.reseller_name.clone())}
                    <p class="help">"Shown under the widget: \"Powered By\" and this name."</p>
                    {text(Field::LicenseUrl, "License agreement URL", "url", input.license_url.clone())}
                    {text(Field::BrandColor, "Primary colour", "text", input.brand_color.clone())}
                    <p class="help">"As # and six hexadecimal digits, such as #1f5fa8; dark enough for white text on it. Empty: Portico's blue."</p>
                    {text(Field::LogoUrl, "Logo URL", "url", input.logo_url.clone())}
                    <TextArea
                        field=Field::AllowedOrigins
                        label="Websites allowed to embed the widget"
                        help="One per line, as the address bar shows the site: https://www.example.com (no path). Other websites cannot show it."
                        value=input.allowed_origins.clone()
                        errors
                        id_prefix="widget"
                        arg="settings"
                    />
                    <div class="form-actions">
                        <SubmitButton pending label="Save" busy="Saving…"/>
                    </div>
                }
                .into_any_sync()}
            </ActionForm>
        </section>
    }
}

#[component]
fn SignupOptionsForm(options: SignupOptions, action: ServerAction<SaveSignupOptions>) -> impl IntoView {
    let pending = action.pending();
    let errors = field_errors(move || action.value().get());
    let checkbox = |name: &'static str, label: &'static str, checked: bool| {
        let id = format!("signup-{name}");
        view! {
            <div class="check">
                <input type="checkbox" id=id.clone() name=format!("options[{name}]") value="true" checked=checked/>
                <label for=id>{label}</label>
            </div>
        }
    };
    view! {
        <section class="card" aria-labelledby="signup-title">
            <h2 id="signup-title" class="section">"Signup options"</h2>
            <ActionForm action attr:class="details-form" attr:novalidate=true>
                {view! {
                    <Saved value=Signal::derive(move || action.value().get())/>
                    <fieldset>
                        <legend>"The Signup form"</legend>
                        {checkbox("require_email_verification", "Require e-mail verification", options.require_email_verification)}
                        {checkbox("require_address", "Require the address fields", options.require_address)}
                        {checkbox("require_license_acceptance", "Require accepting the license agreement", options.require_license_acceptance)}
                    </fieldset>
                    <fieldset>
                        <legend>"Approval"</legend>
                        {checkbox("auto_approve", "Approve every signup at once", options.auto_approve)}
                        <TextArea
                            field=Field::ApprovedDomains
                            label="Always approve these e-mail domains"
                            help="One per line, such as example.com; its subdomains count too."
                            value=options.approved_domains.join("\n")
                            errors
                            id_prefix="signup"
                            arg="options"
                        />
                        <TextArea
                            field=Field::ReviewDomains
                            label="Always review these e-mail domains"
                            help="Signups from these wait for you even when every signup is approved at once."
                            value=options.review_domains.join("\n")
                            errors
                            id_prefix="signup"
                            arg="options"
                        />
                    </fieldset>
                    <TextArea
                        field=Field::CustomText
                        label="Your words above the Signup form"
                        value=options.custom_text.clone()
                        errors
                        id_prefix="signup"
                        arg="options"
                    />
                    <div class="form-actions">
                        <SubmitButton pending label="Save" busy="Saving…"/>
                    </div>
                }
                .into_any_sync()}
            </ActionForm>
        </section>
    }
}

/// The widget as your customers see it, reloaded after every save.
#[component]
fn Preview(url: Option<String>, generation: Memo<usize>) -> impl IntoView {
    view! {
        <section class="card preview" aria-labelledby="preview-title">
            <h2 id="preview-title" class="section">"Preview"</h2>
            <p class="help">"The real widget, as your websites show it: a signup made here is a real signup."</p>
            {match url {
                Some(url) => view! {
                    <iframe
                        title="Widget preview"
                        src=move || format!("{url}&preview={}", generation.get())
                    ></iframe>
                }
                .into_any_sync(),
                None => view! { <p class="empty">"The preview appears once the widget has a key."</p> }.into_any_sync(),
            }}
        </section>
    }
}
