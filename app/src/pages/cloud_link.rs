//! A cloud account's link, as the reseller works it on the Cloud accounts tab (the guide's
//! Parts 4 and 5): where it stands, the step the state allows, and its history.

use leptos::prelude::*;
use portico_shared::aws::{CloudAccount, RoleCheck};
use portico_shared::cloud_links::{AccountKind, Link, LinkAction, LinkState};
use portico_shared::dates::date_time;
use portico_shared::Field;

use crate::api::cloud::ChangeCloudLink;
use crate::erased::IntoAnySync;
use crate::pages::inputs::{field_errors, form_failure, SubmitButton, TextArea};

/// The badge's colour for a state.
pub fn link_class(state: LinkState) -> &'static str {
    match state {
        LinkState::Linked => "status status-active",
        LinkState::Rejected | LinkState::Declined | LinkState::Expired | LinkState::Unlinked => {
            "status status-rejected"
        }
        LinkState::Added | LinkState::Canceled => "status status-suspended",
        LinkState::CreateFailed => "status status-rejected",
        _ => "status status-pending_approval",
    }
}

/// The link's state and, for an invitation, when it expires.
#[component]
pub fn LinkBadge(link: Link) -> impl IntoView {
    let expiry = match (link.state, &link.handshake) {
        (LinkState::Invited, Some((_, expires))) => Some(format!(" · expires {}", date_time(*expires))),
        _ => None,
    };
    view! { <span class=link_class(link.state)>{link.state.label()}</span>{expiry} }
}

/// Every step, oldest first, with who took it and what they wrote.
#[component]
pub fn LinkHistory(link: Link, kind: AccountKind) -> impl IntoView {
    if link.events.is_empty() {
        return view! { <p class="note">"No link requested yet."</p> }.into_any_sync();
    }
    view! {
        <details class="link-history">
            <summary>{match link.events.len() {
                1 => "Link history (1 step)".to_owned(),
                steps => format!("Link history ({steps} steps)"),
            }}</summary>
            <ol class="history">
                {link.events.into_iter().map(|event| view! {
                    <li>
                        <p><strong>{event.action.past_tense_for(kind)}</strong>" · "{event.actor}" · "<time>{date_time(event.at)}</time></p>
                        {event.note.map(|note| view! { <blockquote>{note}</blockquote> })}
                    </li>
                }).collect_view()}
            </ol>
        </details>
    }
    .into_any_sync()
}

/// The reseller's side of an account's link: what Cloud Support last wrote, the step the state
/// allows (destructive ones behind a confirmation), and the history.
#[component]
pub fn LinkPanel(
    customer: String,
    account: CloudAccount,
    action: ServerAction<ChangeCloudLink>,
    /// The account whose step was taken last, so a refusal shows under its own account.
    acting: RwSignal<String>,
) -> impl IntoView {
    let id = account.id.to_string();
    let mine = move || acting.with(|last| *last == id);
    let outcome = move || action.value().get().filter(|_| mine());
    let errors = field_errors(outcome.clone());
    let failure = form_failure(outcome);
    let pending = action.pending();
    let link = account.link.clone();
    let role_valid = account.role_check == RoleCheck::Valid || account.kind == AccountKind::New;
    let kind = account.kind;
    let new_account = kind == AccountKind::New;
    let prefix = format!("link-{}", account.id);
    let form = move |step: LinkAction, label: &'static str, busy: &'static str, with_note: bool| {
        let submitted = account.id.to_string();
        view! {
            <ActionForm action attr:class="details-form" attr:novalidate=true on:submit=move |_| acting.set(submitted.clone())>
                {view! {
                    <input type="hidden" name="customer" value=customer.clone()/>
                    <input type="hidden" name="account" value=account.id.to_string()/>
                    <input type="hidden" name="version" value=account.version.to_string()/>
                    <input type="hidden" name="action" value=step.as_str()/>
                    {with_note.then(|| view! {
                        <TextArea field=Field::Note label="Your answer" value=String::new() errors id_prefix=prefix.clone() arg=""/>
                    })}
                    <div class="form-actions"><SubmitButton pending label busy/></div>
                }
                .into_any_sync()}
            </ActionForm>
        }
    };
    let note = link
        .last_note()
        .filter(|_| matches!(link.state, LinkState::MoreInfo | LinkState::Rejected | LinkState::CreateFailed))
        .map(|event| {
            let who = match link.state {
                LinkState::MoreInfo => "Cloud Support asks:",
                LinkState::CreateFailed => "AWS's answer:",
                _ => "Cloud Support's reason:",
            };
            view! { <p class="callout"><strong>{who}</strong>" "{event.note.clone()}</p> }
        });
    let step = match link.state {
        LinkState::Added | LinkState::Rejected if !role_valid => view! {
            <p class="note">"Check the AWS Role ARN above: once it is Valid, you can ask Cloud Support to link the account."</p>
        }
        .into_any_sync(),
        LinkState::Rejected if new_account => view! {
            <p class="help">"Cloud Support reviews the request again, then the platform asks AWS to create the account."</p>
            {form(LinkAction::Request, "Request again", "Requesting…", false)}
        }
        .into_any_sync(),
        LinkState::Added | LinkState::Rejected => view! {
            <p class="help">"Cloud Support reviews the request, then the platform invites the account to its AWS organization."</p>
            {form(LinkAction::Request, "Request link", "Requesting…", false)}
        }
        .into_any_sync(),
        LinkState::MoreInfo => form(LinkAction::Answer, "Send answer", "Sending…", true).into_any_sync(),
        LinkState::Invited => view! {
            <p class="help">"The account's owner accepts the invitation in the AWS console, under AWS Organizations → Invitations."</p>
            <details class="confirm">
                <summary class="button">"Cancel invitation…"</summary>
                <p>"Cancel the invitation? The owner can no longer accept it; you can send a new one later."</p>
                {form(LinkAction::Cancel, "Cancel invitation", "Canceling…", false)}
            </details>
        }
        .into_any_sync(),
        LinkState::Expired | LinkState::Declined | LinkState::Canceled => {
            form(LinkAction::Reinvite, "Invite again", "Inviting…", false).into_any_sync()
        }
        LinkState::Linked if new_account => view! {
            <p class="help">"Its admin access went to the customer's primary contact as a one-time link. Request credentials for yourself and a one-time link of your own is e-mailed to you."</p>
            {form(LinkAction::RequestCredentials, "Request credentials for me", "Requesting…", false)}
        }
        .into_any_sync(),
        LinkState::CreateFailed => view! {
            <p class="note">"Request a new account again below, with what AWS objected to corrected."</p>
        }
        .into_any_sync(),
        LinkState::Linked => view! {
            <details class="confirm">
                <summary class="button">"Request unlink…"</summary>
                <p>"Ask Cloud Support to remove this account from the platform's organization? It stays linked until they approve."</p>
                {form(LinkAction::RequestUnlink, "Request unlink", "Requesting…", false)}
            </details>
        }
        .into_any_sync(),
        LinkState::Requested
        | LinkState::Approved
        | LinkState::Creating
        | LinkState::UnlinkRequested
        | LinkState::Unlinked => ().into_any_sync(),
    };
    view! {
        <div class="link-panel">
            <h4>"Link"</h4>
            <p role="status"><LinkBadge link=link.clone()/></p>
            {note}
            <p class="form-error" role="alert">{failure}</p>
            {step}
            <LinkHistory link kind/>
        </div>
    }
}
