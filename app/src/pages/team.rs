//! Team: the people who sign in for the reseller (or, for the platform's staff, the platform),
//! their invitations, and, for admins, inviting, resending, withdrawing, roles and disabling.

use leptos::prelude::*;
use leptos_meta::Title;
use portico_shared::dates::date;
use portico_shared::staff::{InvitationInput, PendingInvitation, StaffRole, TeamMember};
use portico_shared::Field;

use crate::api::account::{RequireTwoStep, ResetTwoStep};
use crate::api::people::{team_page, Invite, ResendInvitation, RevokeInvitation, SetMemberDisabled, SetMemberRole};
use crate::erased::IntoAnySync;
use crate::layout::SignedInLayout;
use crate::pages::failure_view;
use crate::pages::inputs::{field_errors, focus_first_error, form_failure, stored, SubmitButton, TextField};
use crate::PortalError;

#[component]
pub fn TeamPage() -> impl IntoView {
    let invite = ServerAction::<Invite>::new();
    let resend = ServerAction::<ResendInvitation>::new();
    let revoke = ServerAction::<RevokeInvitation>::new();
    let role = ServerAction::<SetMemberRole>::new();
    let disable = ServerAction::<SetMemberDisabled>::new();
    let require = ServerAction::<RequireTwoStep>::new();
    let reset = ServerAction::<ResetTwoStep>::new();
    let actions = Actions { invite, resend, revoke, role, disable, require, reset };
    // Every change made reloads the team, so the page shows what is stored; a refused one does
    // not, so the invitation form keeps what was typed.
    let changes =
        [stored(invite), stored(resend), stored(revoke), stored(role), stored(disable), stored(require), stored(reset)];
    let changes = move || changes.map(|count| count.get());
    let data = Resource::new_serde_wb(changes, |_| team_page());
    view! {
        <Transition fallback=|| view! { <p class="loading">"Loading team…"</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(page) => {
                        let heading = if page.user.is_platform() { "Platform staff" } else { "Team" };
                        let manages = page.user.manages_team();
                        let roles: &'static [StaffRole] =
                            if page.user.is_platform() { &StaffRole::PLATFORM } else { &StaffRole::RESELLER };
                        let me = page.user.email.clone();
                        let platform = page.user.is_platform();
                        view! {
                            <Title text=heading/>
                            <SignedInLayout user=page.user>
                                <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">"Home"</a>" / Team"</nav>
                                <h1>{heading}</h1>
                                <Outcome actions/>
                                <Members members=page.team.members me manages roles actions/>
                                <TwoStepRule
                                    required=page.team.requires_two_step
                                    platform
                                    manages
                                    action=require
                                />
                                <Invitations invitations=page.team.invitations manages actions/>
                                {manages.then(|| view! { <InviteForm roles action=invite/> })}
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

/// The page's server actions, passed down together.
#[derive(Clone, Copy)]
struct Actions {
    invite: ServerAction<Invite>,
    resend: ServerAction<ResendInvitation>,
    revoke: ServerAction<RevokeInvitation>,
    role: ServerAction<SetMemberRole>,
    disable: ServerAction<SetMemberDisabled>,
    require: ServerAction<RequireTwoStep>,
    reset: ServerAction<ResetTwoStep>,
}

/// What the last action did, or why it was refused (field errors show in the form instead).
#[component]
fn Outcome(actions: Actions) -> impl IntoView {
    let refused = move || {
        let error = |value: Option<Result<(), PortalError>>| match value {
            Some(Err(PortalError::Invalid(_))) | Some(Ok(())) | None => None,
            Some(Err(error)) => Some(error.to_string()),
        };
        error(actions.resend.value().get())
            .or_else(|| error(actions.revoke.value().get()))
            .or_else(|| error(actions.role.value().get()))
            .or_else(|| error(actions.disable.value().get()))
            .or_else(|| error(actions.require.value().get()))
            .or_else(|| error(actions.reset.value().get()))
    };
    let sent = move || {
        let invited = matches!(actions.invite.value().get(), Some(Ok(())));
        let resent = matches!(actions.resend.value().get(), Some(Ok(())));
        (invited || resent).then_some("Invitation sent. The link in it works for 7 days.")
    };
    view! {
        <p class="form-error" role="alert">{refused}</p>
        <p class="notice" role="status">{sent}</p>
    }
}

#[component]
fn Members(
    members: Vec<TeamMember>,
    me: String,
    manages: bool,
    roles: &'static [StaffRole],
    actions: Actions,
) -> impl IntoView {
    view! {
        <section aria-labelledby="members-title">
            <h2 id="members-title" class="section">"Members"</h2>
            <div class="table-scroll">
                <table class="list">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Email"</th>
                            <th scope="col">"Role"</th>
                            <th scope="col">"Status"</th>
                            <th scope="col">"Two-step sign-in"</th>
                            {manages.then(|| view! { <th scope="col">"Actions"</th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {members
                            .into_iter()
                            .map(|member| {
                                let is_me = member.email == me;
                                view! { <MemberRow member is_me manages roles actions/> }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn MemberRow(
    member: TeamMember,
    is_me: bool,
    manages: bool,
    roles: &'static [StaffRole],
    actions: Actions,
) -> impl IntoView {
    let (id, version) = (member.id.to_string(), member.version.to_string());
    let status = if member.disabled { "Disabled" } else { "Active" };
    let name = if is_me { format!("{} (you)", member.name) } else { member.name.clone() };
    let controls = if is_me {
        view! { <span class="note">"Another admin can change your role."</span> }.into_any_sync()
    } else {
        let role_forms = roles
            .iter()
            .filter(|role| **role != member.role)
            .map(|other| {
                let label = format!("Make {} {}", member.name, article(*other));
                let (id, version) = (id.clone(), version.clone());
                view! {
                    <ActionForm action=actions.role>
                        {view! {
                            <input type="hidden" name="member" value=id/>
                            <input type="hidden" name="version" value=version/>
                            <input type="hidden" name="role" value=other.as_str()/>
                            <button type="submit" class="small">{label}</button>
                        }
                        .into_any_sync()}
                    </ActionForm>
                }
            })
            .collect_view();
        let (id, version) = (id.clone(), version.clone());
        let enable_label = format!("Enable {}", member.name);
        let disable_label = format!("Disable {}…", member.name);
        let warning = format!("{} is signed out at once and cannot sign in until enabled again.", member.name);
        let toggle = if member.disabled {
            view! {
                <ActionForm action=actions.disable>
                    {view! {
                        <input type="hidden" name="member" value=id.clone()/>
                        <input type="hidden" name="version" value=version.clone()/>
                        <input type="hidden" name="disabled" value="false"/>
                        <button type="submit" class="small">{enable_label}</button>
                    }
                    .into_any_sync()}
                </ActionForm>
            }
            .into_any_sync()
        } else {
            view! {
                <details class="confirm">
                    <summary class="small danger">{disable_label}</summary>
                    <p>{warning}</p>
                    <ActionForm action=actions.disable>
                        {view! {
                            <input type="hidden" name="member" value=id.clone()/>
                            <input type="hidden" name="version" value=version.clone()/>
                            <input type="hidden" name="disabled" value="true"/>
                            <button type="submit" class="small danger">"Disable"</button>
                        }
                        .into_any_sync()}
                    </ActionForm>
                </details>
            }
            .into_any_sync()
        };
        let reset = member.two_step.then(|| {
            let summary = format!("Reset {}'s two-step sign-in…", member.name);
            let warning = format!(
                "For a lost phone: {} is signed out, their app and recovery codes stop working, and they add an app \
                 again at their next sign-in where it is required.",
                member.name
            );
            let id = member.id.to_string();
            view! {
                <details class="confirm">
                    <summary class="small danger">{summary}</summary>
                    <p>{warning}</p>
                    <ActionForm action=actions.reset>
                        {view! {
                            <input type="hidden" name="member" value=id/>
                            <button type="submit" class="small danger">"Reset"</button>
                        }
                        .into_any_sync()}
                    </ActionForm>
                </details>
            }
        });
        view! { <div class="decision">{role_forms}{toggle}{reset}</div> }.into_any_sync()
    };
    view! {
        <tr>
            <td>{name}</td>
            <td>{member.email.clone()}</td>
            <td>{member.role.label()}</td>
            <td>{status}</td>
            <td>{if member.two_step { "On" } else { "Off" }}</td>
            {manages.then(|| view! { <td>{controls}</td> })}
        </tr>
    }
}

/// "an admin", "an agent", "a platform admin", "Cloud Support".
fn article(role: StaffRole) -> String {
    match role {
        StaffRole::Admin => "an admin".into(),
        StaffRole::Agent => "an agent".into(),
        StaffRole::PlatformAdmin => "a platform admin".into(),
        StaffRole::CloudSupport => "Cloud Support".into(),
    }
}

#[component]
fn Invitations(invitations: Vec<PendingInvitation>, manages: bool, actions: Actions) -> impl IntoView {
    let body = if invitations.is_empty() {
        view! { <p class="empty">"No invitations waiting."</p> }.into_any_sync()
    } else {
        view! {
            <div class="table-scroll">
                <table class="list">
                    <thead>
                        <tr>
                            <th scope="col">"Name"</th>
                            <th scope="col">"Email"</th>
                            <th scope="col">"Role"</th>
                            <th scope="col">"Invited by"</th>
                            <th scope="col">"Link works until"</th>
                            {manages.then(|| view! { <th scope="col">"Actions"</th> })}
                        </tr>
                    </thead>
                    <tbody>
                        {invitations.into_iter().map(|invitation| view! { <InvitationRow invitation manages actions/> }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any_sync()
    };
    view! {
        <section aria-labelledby="invitations-title">
            <h2 id="invitations-title" class="section">"Invitations"</h2>
            {body}
        </section>
    }
}

#[component]
fn InvitationRow(invitation: PendingInvitation, manages: bool, actions: Actions) -> impl IntoView {
    let until = if invitation.expired { "Expired".to_owned() } else { date(invitation.expires_at) };
    let (resend_id, revoke_id) = (invitation.id.to_string(), invitation.id.to_string());
    let resend_label = format!("Resend to {}", invitation.email);
    let warning = format!("The link sent to {} stops working.", invitation.email);
    let controls = view! {
        <td>
            <div class="decision">
                <ActionForm action=actions.resend>
                    {view! {
                        <input type="hidden" name="invitation" value=resend_id/>
                        <button type="submit" class="small">{resend_label}</button>
                    }
                    .into_any_sync()}
                </ActionForm>
                <details class="confirm">
                    <summary class="small danger">"Withdraw…"</summary>
                    <p>{warning}</p>
                    <ActionForm action=actions.revoke>
                        {view! {
                            <input type="hidden" name="invitation" value=revoke_id/>
                            <button type="submit" class="small danger">"Withdraw invitation"</button>
                        }
                        .into_any_sync()}
                    </ActionForm>
                </details>
            </div>
        </td>
    };
    view! {
        <tr>
            <td>{invitation.name.clone()}</td>
            <td>{invitation.email.clone()}</td>
            <td>{invitation.role.label()}</td>
            <td>{invitation.invited_by.clone()}</td>
            <td>{until}</td>
            {manages.then_some(controls)}
        </tr>
    }
}

#[component]
fn InviteForm(roles: &'static [StaffRole], action: ServerAction<Invite>) -> impl IntoView {
    let pending = action.pending();
    let errors = field_errors(move || action.value().get());
    let failure = form_failure(move || action.value().get());
    focus_first_error(errors);
    let role_error = move || errors.with(|all| all.iter().find(|e| e.field == Field::Role).map(|e| e.message.clone()));
    let blank = InvitationInput::default();
    // A sent invitation empties the form for the next one; a refused one keeps what was typed.
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if matches!(action.value().get(), Some(Ok(()))) {
            if let Some(form) = form.get() {
                form.reset();
            }
        }
    });
    view! {
        <section aria-labelledby="invite-title">
            <h2 id="invite-title" class="section">"Invite someone"</h2>
            <p class="help">"They get an e-mail with a link to choose their password. The link works for 7 days."</p>
                    <ActionForm action node_ref=form attr:class="details-form" attr:novalidate=true>
                        {view! {
                            <p class="form-error" role="alert">{failure}</p>
                            <TextField field=Field::Email label="Email" kind="email" autocomplete="off" required=true value=blank.email.clone() errors id_prefix="invitation" arg="invitation"/>
                            <TextField field=Field::Name label="Name" kind="text" autocomplete="off" required=true value=blank.name.clone() errors id_prefix="invitation" arg="invitation"/>
                            <div class="field">
                                <label for="invitation-role">"Role"</label>
                                <select
                                    id="invitation-role"
                                    name="invitation[role]"
                                    aria-invalid=move || role_error().is_some().to_string()
                                    aria-describedby="invitation-role-help"
                                >
                                    // The role with the least power is offered first.
                                    {roles.iter().rev().map(|role| view! { <option value=role.as_str()>{role.label()}</option> }).collect_view()}
                                </select>
                                <p class="help" id="invitation-role-help">{role_help(roles)}</p>
                                <p class="field-error" id="invitation-role-error">{role_error}</p>
                            </div>
                            <div class="form-actions">
                                <SubmitButton pending label="Send invitation" busy="Sending…"/>
                            </div>
                        }
                        .into_any_sync()}
                    </ActionForm>
        </section>
    }
}

fn role_help(roles: &[StaffRole]) -> &'static str {
    if roles.contains(&StaffRole::PlatformAdmin) {
        "Platform admins add resellers and manage the platform's staff; Cloud Support decide cloud-account requests."
    } else {
        "Admins do everything, including the team and widget settings; agents work in Customers and approve signups."
    }
}

/// Whether every member must sign in with a second step: a reseller's admin chooses; the
/// platform's staff always must (outside the demo).
#[component]
fn TwoStepRule(required: bool, platform: bool, manages: bool, action: ServerAction<RequireTwoStep>) -> impl IntoView {
    let state = if required {
        "Every member signs in with a second step: a code from an authenticator app. Members without an app add one \
         at their next sign-in."
    } else {
        "Each member chooses whether to sign in with a second step, on their account page."
    };
    let change = (manages && !platform).then(|| {
        let (label, value) = if required {
            ("Leave two-step sign-in to each member", "false")
        } else {
            ("Require two-step sign-in for everyone", "true")
        };
        view! {
            <ActionForm action>
                {view! {
                    <input type="hidden" name="required" value=value/>
                    <button type="submit" class="small">{label}</button>
                }
                .into_any_sync()}
            </ActionForm>
        }
    });
    view! {
        <section aria-labelledby="two-step-rule-title">
            <h2 id="two-step-rule-title" class="section">"Two-step sign-in"</h2>
            <p>{state}</p>
            {change}
        </section>
    }
}
