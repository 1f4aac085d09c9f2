//! Getting in without a password yet, or without remembering it: accepting an invitation, and
//! choosing a new password through an e-mailed link.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use portico_shared::Field;

use crate::api::people::{invitation, password_reset_link, AcceptInvitation, RequestPasswordReset, ResetPassword};
use crate::erased::IntoAnySync;
use crate::pages::inputs::{field_errors, focus_first_error, form_failure, SubmitButton, TextField};
use crate::PortalError;

/// The token of a one-time link, from the address.
fn link_token() -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get("token").unwrap_or_default()))
}

/// The two password fields of a form that sets one.
#[component]
fn NewPasswordFields(errors: Signal<Vec<portico_shared::FieldError>>) -> impl IntoView {
    focus_first_error(errors);
    view! {
        <TextField field=Field::Password label="Password" kind="password" autocomplete="new-password" required=true value=String::new() errors id_prefix="account" arg=""/>
        <p class="help" hidden=move || errors.with(|all| all.iter().any(|e| e.field == Field::Password))>
            "Use at least 15 characters. A few unrelated words make a strong password."
        </p>
        <TextField field=Field::VerifyPassword label="Verify password" kind="password" autocomplete="new-password" required=true value=String::new() errors id_prefix="account" arg=""/>
    }
}

/// Why a link cannot be used, with the way forward.
fn dead_link(error: PortalError, retry: &'static str, retry_label: &'static str) -> AnyView {
    view! {
        <p class="form-error" role="alert">{error.to_string()}</p>
        <p><a href=retry>{retry_label}</a></p>
    }
    .into_any_sync()
}

/// `/invitation?token=…`: who is invited to which team, and the password they choose.
#[component]
pub fn AcceptInvitationPage() -> impl IntoView {
    let token = link_token();
    let offer = Resource::new_serde_wb(move || token.get(), invitation);
    let accept = ServerAction::<AcceptInvitation>::new();
    let pending = accept.pending();
    let errors = field_errors(move || accept.value().get());
    let failure = form_failure(move || accept.value().get());
    view! {
        <Title text="Accept invitation"/>
        <main class="auth">
            <h1>"Portico"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Checking the invitation…"</p> }>
                {move || Suspend::new(async move {
                    match offer.await {
                        Ok(offer) => {
                            let team = match &offer.reseller_name {
                                Some(reseller) => format!("{reseller}'s team"),
                                None => "the Portico platform staff".to_owned(),
                            };
                            view! {
                                <p class="lede">{format!("Welcome, {}. You are invited to join {team} as {}.", offer.name, offer.role.label())}</p>
                                <p>"Choose the password you will sign in with, as "<strong>{offer.email.clone()}</strong>"."</p>
                                <ActionForm action=accept attr:novalidate=true>
                                    {view! {
                                        <input type="hidden" name="token" value=token.get_untracked()/>
                                        <p class="form-error" role="alert">{failure}</p>
                                        <NewPasswordFields errors/>
                                        <SubmitButton pending label="Accept and sign in" busy="Signing in…"/>
                                    }
                                    .into_any_sync()}
                                </ActionForm>
                            }
                            .into_any_sync()
                        }
                        Err(error) => dead_link(error, "/login", "Go to sign in"),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// `/forgot-password`: asks for a reset link; says the same whether the address is known or not.
#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let request = ServerAction::<RequestPasswordReset>::new();
    let pending = request.pending();
    let sent = move || request.value().get().and_then(Result::ok);
    let failure = move || request.value().get().and_then(Result::err).map(|e| e.to_string());
    view! {
        <Title text="Forgot your password?"/>
        <main class="auth">
            <h1>"Portico"</h1>
            <p class="lede">"Forgot your password? We will e-mail you a link to choose a new one."</p>
            <ActionForm action=request>
                {view! {
                    <div class="field">
                        <label for="email">"E-mail"</label>
                        <input id="email" name="email" type="email" autocomplete="username" required/>
                    </div>
                    <p class="form-error" role="alert">{failure}</p>
                    <SubmitButton pending label="Send me a link" busy="Sending…"/>
                }
                .into_any_sync()}
            </ActionForm>
            <p class="notice" role="status">
                {move || sent().map(|email| format!("If {email} signs in to Portico, a link is on its way. It works for an hour."))}
            </p>
            <p><a href="/login">"Back to sign in"</a></p>
        </main>
    }
}

/// `/reset-password?token=…`: the new password, through the e-mailed link.
#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let token = link_token();
    let link = Resource::new_serde_wb(move || token.get(), password_reset_link);
    let reset = ServerAction::<ResetPassword>::new();
    let pending = reset.pending();
    let errors = field_errors(move || reset.value().get());
    let failure = form_failure(move || reset.value().get());
    view! {
        <Title text="Choose a new password"/>
        <main class="auth">
            <h1>"Portico"</h1>
            <Suspense fallback=|| view! { <p class="loading">"Checking the link…"</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Ok(()) => view! {
                            <p class="lede">"Choose a new password. Every session you have open is signed out."</p>
                            <ActionForm action=reset attr:novalidate=true>
                                {view! {
                                    <input type="hidden" name="token" value=token.get_untracked()/>
                                    <p class="form-error" role="alert">{failure}</p>
                                    <NewPasswordFields errors/>
                                    <SubmitButton pending label="Change my password" busy="Changing…"/>
                                }
                                .into_any_sync()}
                            </ActionForm>
                        }
                        .into_any_sync(),
                        Err(error) => dead_link(error, "/forgot-password", "Ask for a new link"),
                    }
                })}
            </Suspense>
        </main>
    }
}
