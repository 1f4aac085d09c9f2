//! The life of a link between a customer's AWS account and the platform (the guide's Parts 3–5):
//! which states there are, who may move an account from one to the next, and what the screens
//! call each. One table, [`next`], decides every transition for the server and the portal alike.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};

use crate::api::Problem;
use crate::ids::{CloudAccountId, CustomerId};
use crate::text::clean_multiline;
use crate::{Field, FieldError};

/// Where a cloud account's link stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum LinkState {
    /// Added by the reseller; its role may still need checking.
    Added,
    /// Waiting for Cloud Support.
    Requested,
    /// Cloud Support asked the reseller a question.
    MoreInfo,
    Rejected,
    /// Approved: the invitation is being sent, or the new account created.
    Approved,
    /// A new account: AWS is creating it.
    Creating,
    /// A new account: AWS could not create it (the reason is in the history). Final: the
    /// reseller requests again with what AWS objected to corrected.
    CreateFailed,
    /// The invitation (handshake) is waiting for the account owner.
    Invited,
    Linked,
    Declined,
    Expired,
    /// The invitation was withdrawn before the owner answered.
    Canceled,
    /// The reseller asked Cloud Support to unlink the account.
    UnlinkRequested,
    Unlinked,
}

impl LinkState {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<LinkState> {
        text.parse().ok()
    }

    /// The words on the badge.
    pub fn label(self) -> &'static str {
        match self {
            LinkState::Added => "Not requested",
            LinkState::Requested => "Waiting for Cloud Support",
            LinkState::MoreInfo => "More information needed",
            LinkState::Rejected => "Rejected",
            LinkState::Approved => "Approved",
            LinkState::Creating => "Creating the account",
            LinkState::CreateFailed => "Creation failed",
            LinkState::Invited => "Invitation sent",
            LinkState::Linked => "Linked",
            LinkState::Declined => "Invitation declined",
            LinkState::Expired => "Invitation expired",
            LinkState::Canceled => "Invitation canceled",
            LinkState::UnlinkRequested => "Unlink requested",
            LinkState::Unlinked => "Unlinked",
        }
    }

    /// Whether Cloud Support has something to decide.
    pub fn awaits_cloud_support(self) -> bool {
        matches!(self, LinkState::Requested | LinkState::UnlinkRequested)
    }
}

/// Who may take an action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Party {
    Reseller,
    CloudSupport,
    /// The platform itself, on what AWS answered or when time ran out.
    Platform,
}

/// Everything that moves a link.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum LinkAction {
    /// The reseller asks Cloud Support to link the account (its role must check out).
    Request,
    /// The reseller answers Cloud Support's question.
    Answer,
    Approve,
    Reject,
    /// Cloud Support asks the reseller for more information.
    Inquire,
    /// The invitation went out (the handshake exists).
    Invite,
    Accept,
    Decline,
    Expire,
    /// The reseller withdraws an invitation the owner has not answered.
    Cancel,
    /// The reseller sends a new invitation after the last one expired, was declined or canceled.
    Reinvite,
    RequestUnlink,
    /// A new account: the platform asked AWS to create it.
    Create,
    /// A new account: AWS created it (it is in the organization from the start).
    Created,
    /// A new account: AWS could not create it.
    CreateFail,
    /// The reseller asks Cloud Support for a set of credentials of their own to a new account.
    RequestCredentials,
}

impl LinkAction {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<LinkAction> {
        text.parse().ok()
    }

    pub fn party(self) -> Party {
        match self {
            LinkAction::Request
            | LinkAction::Answer
            | LinkAction::Cancel
            | LinkAction::Reinvite
            | LinkAction::RequestUnlink
            | LinkAction::RequestCredentials => Party::Reseller,
            LinkAction::Approve | LinkAction::Reject | LinkAction::Inquire => Party::CloudSupport,
            LinkAction::Invite
            | LinkAction::Accept
            | LinkAction::Decline
            | LinkAction::Expire
            | LinkAction::Create
            | LinkAction::Created
            | LinkAction::CreateFail => Party::Platform,
        }
    }

    /// Whether the action carries words for the other side: a rejection's reason, a question,
    /// an answer.
    pub fn needs_note(self) -> bool {
        matches!(self, LinkAction::Reject | LinkAction::Inquire | LinkAction::Answer)
    }

    /// How the history names it for this kind of account.
    pub fn past_tense_for(self, kind: AccountKind) -> &'static str {
        match (self, kind) {
            (LinkAction::Request, AccountKind::New) => "New account requested",
            _ => self.past_tense(),
        }
    }

    /// How the history names it.
    pub fn past_tense(self) -> &'static str {
        match self {
            LinkAction::Request => "Link requested",
            LinkAction::Answer => "Question answered",
            LinkAction::Approve => "Approved",
            LinkAction::Reject => "Rejected",
            LinkAction::Inquire => "More information asked for",
            LinkAction::Invite => "Invitation sent",
            LinkAction::Accept => "Invitation accepted",
            LinkAction::Decline => "Invitation declined",
            LinkAction::Expire => "Invitation expired",
            LinkAction::Cancel => "Invitation canceled",
            LinkAction::Reinvite => "Invited again",
            LinkAction::RequestUnlink => "Unlink requested",
            LinkAction::Create => "Account creation started",
            LinkAction::Created => "Account created",
            LinkAction::CreateFail => "Account creation failed",
            LinkAction::RequestCredentials => "Credentials requested",
        }
    }
}

/// The state `action` leads to from `state`, or `None` where it may not be taken. Cloud Support
/// approving an unlink request unlinks; rejecting it keeps the account linked. An approved
/// existing account is invited and a new one created: the server takes the step its kind calls for.
pub fn next(state: LinkState, action: LinkAction) -> Option<LinkState> {
    use LinkAction as A;
    use LinkState as S;
    Some(match (state, action) {
        (S::Added | S::Rejected, A::Request) => S::Requested,
        (S::MoreInfo, A::Answer) => S::Requested,
        (S::Requested, A::Approve) => S::Approved,
        (S::Requested, A::Reject) => S::Rejected,
        (S::Requested, A::Inquire) => S::MoreInfo,
        (S::Approved, A::Invite) => S::Invited,
        (S::Invited, A::Accept) => S::Linked,
        (S::Invited, A::Decline) => S::Declined,
        (S::Invited, A::Expire) => S::Expired,
        (S::Invited, A::Cancel) => S::Canceled,
        (S::Expired | S::Declined | S::Canceled, A::Reinvite) => S::Approved,
        (S::Linked, A::RequestUnlink) => S::UnlinkRequested,
        (S::UnlinkRequested, A::Approve) => S::Unlinked,
        (S::UnlinkRequested, A::Reject) => S::Linked,
        (S::Approved, A::Create) => S::Creating,
        (S::Creating, A::Created) => S::Linked,
        (S::Creating, A::CreateFail) => S::CreateFailed,
        (S::Linked, A::RequestCredentials) => S::Linked,
        _ => return None,
    })
}

/// Why an action was refused, in words for whoever tried it.
pub fn refusal(state: LinkState, action: LinkAction) -> String {
    format!(
        "This cloud account cannot be {} now: its link is “{}”.",
        match action {
            LinkAction::Request => "requested for linking",
            LinkAction::Answer => "answered",
            LinkAction::Approve => "approved",
            LinkAction::Reject => "rejected",
            LinkAction::Inquire => "asked about",
            LinkAction::Invite | LinkAction::Reinvite => "invited",
            LinkAction::Accept => "accepted",
            LinkAction::Decline => "declined",
            LinkAction::Expire => "expired",
            LinkAction::Cancel => "canceled",
            LinkAction::RequestUnlink => "unlinked",
            LinkAction::Create | LinkAction::Created | LinkAction::CreateFail => "created",
            LinkAction::RequestCredentials => "given credentials",
        },
        state.label()
    )
}

/// The longest reason, question or answer.
pub const NOTE_MAX_CHARS: usize = 2000;

/// The words an action carries: required where [`LinkAction::needs_note`], ignored elsewhere.
pub fn note_for(action: LinkAction, raw: &str) -> Result<Option<String>, FieldError> {
    if !action.needs_note() {
        return Ok(None);
    }
    match clean_multiline(raw, NOTE_MAX_CHARS) {
        Ok(note) if note.is_empty() => Err(FieldError::new(Field::Note, Problem::Required)),
        Ok(note) => Ok(Some(note)),
        Err(problem) => Err(FieldError::new(Field::Note, problem)),
    }
}

/// One step in a link's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkEvent {
    pub at: i64,
    pub actor: String,
    pub action: LinkAction,
    pub to: LinkState,
    pub note: Option<String>,
}

/// A link as the Cloud accounts tab and the Cloud Support console show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub state: LinkState,
    /// The AWS Organizations handshake of the last invitation, and when it expires.
    pub handshake: Option<(String, i64)>,
    /// Oldest first.
    pub events: Vec<LinkEvent>,
}

impl Link {
    /// The last reason, question or answer: what the other side needs to read now.
    pub fn last_note(&self) -> Option<&LinkEvent> {
        self.events.iter().rev().find(|event| event.note.is_some())
    }
}

/// An existing AWS account linked through a role and an invitation, or a new one the platform
/// creates in its organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[strum(serialize_all = "snake_case")]
pub enum AccountKind {
    Existing,
    New,
}

impl AccountKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<AccountKind> {
        text.parse().ok()
    }
}

/// One request in the Cloud Support console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportRequest {
    pub account: CloudAccountId,
    pub kind: AccountKind,
    /// A new account's name and support plan.
    pub account_name: Option<String>,
    pub support_plan: Option<String>,
    pub version: i64,
    pub reseller: String,
    pub customer: CustomerId,
    pub customer_name: String,
    pub account_id: String,
    pub email: String,
    pub role_arn: Option<String>,
    pub link: Link,
}

/// Which requests the console lists.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum QueueFilter {
    /// Link and unlink requests waiting for Cloud Support (the default).
    #[default]
    Waiting,
    /// Requests waiting for the reseller's answer.
    AwaitingReseller,
    /// Invitations out with account owners.
    Invited,
    /// Everything ever requested.
    All,
}

impl QueueFilter {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The filter named in the address; anything else is the default.
    pub fn parse(text: &str) -> QueueFilter {
        text.parse().unwrap_or_default()
    }

    pub fn label(self) -> &'static str {
        match self {
            QueueFilter::Waiting => "Waiting for Cloud Support",
            QueueFilter::AwaitingReseller => "Waiting for the reseller",
            QueueFilter::Invited => "Invitations out and accounts being created",
            QueueFilter::All => "All requests",
        }
    }

    /// The states it shows.
    pub fn states(self) -> &'static [LinkState] {
        match self {
            QueueFilter::Waiting => &[LinkState::Requested, LinkState::UnlinkRequested],
            QueueFilter::AwaitingReseller => &[LinkState::MoreInfo],
            QueueFilter::Invited => &[LinkState::Approved, LinkState::Invited, LinkState::Creating],
            // Every state but Added, which comes first: everything ever requested.
            QueueFilter::All => &LinkState::VARIANTS[1..],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every (state, action) pair: the legal ones and where they lead. Everything else is refused.
    const LEGAL: [(LinkState, LinkAction, LinkState); 19] = [
        (LinkState::Added, LinkAction::Request, LinkState::Requested),
        (LinkState::Approved, LinkAction::Create, LinkState::Creating),
        (LinkState::Creating, LinkAction::Created, LinkState::Linked),
        (LinkState::Creating, LinkAction::CreateFail, LinkState::CreateFailed),
        (LinkState::Linked, LinkAction::RequestCredentials, LinkState::Linked),
        (LinkState::Rejected, LinkAction::Request, LinkState::Requested),
        (LinkState::MoreInfo, LinkAction::Answer, LinkState::Requested),
        (LinkState::Requested, LinkAction::Approve, LinkState::Approved),
        (LinkState::Requested, LinkAction::Reject, LinkState::Rejected),
        (LinkState::Requested, LinkAction::Inquire, LinkState::MoreInfo),
        (LinkState::Approved, LinkAction::Invite, LinkState::Invited),
        (LinkState::Invited, LinkAction::Accept, LinkState::Linked),
        (LinkState::Invited, LinkAction::Decline, LinkState::Declined),
        (LinkState::Invited, LinkAction::Expire, LinkState::Expired),
        (LinkState::Invited, LinkAction::Cancel, LinkState::Canceled),
        (LinkState::Expired, LinkAction::Reinvite, LinkState::Approved),
        (LinkState::Declined, LinkAction::Reinvite, LinkState::Approved),
        (LinkState::Canceled, LinkAction::Reinvite, LinkState::Approved),
        (LinkState::Linked, LinkAction::RequestUnlink, LinkState::UnlinkRequested),
    ];

    #[test]
    fn every_transition_is_decided_by_the_table() {
        let unlink = [
            (LinkState::UnlinkRequested, LinkAction::Approve, LinkState::Unlinked),
            (LinkState::UnlinkRequested, LinkAction::Reject, LinkState::Linked),
        ];
        let legal: Vec<_> = LEGAL.iter().chain(unlink.iter()).collect();
        let (mut allowed, mut refused) = (0, 0);
        for state in LinkState::VARIANTS.iter().copied() {
            for action in LinkAction::VARIANTS.iter().copied() {
                let expected = legal.iter().find(|(s, a, _)| *s == state && *a == action).map(|(_, _, to)| *to);
                assert_eq!(next(state, action), expected, "{state:?} --{action:?}-->");
                if expected.is_some() {
                    allowed += 1;
                } else {
                    refused += 1;
                    assert!(refusal(state, action).contains(state.label()));
                }
            }
        }
        assert_eq!((allowed, refused), (21, 203));
    }

    #[test]
    fn states_and_actions_are_stored_by_name() {
        for state in LinkState::VARIANTS.iter().copied() {
            assert_eq!(LinkState::parse(state.as_str()), Some(state));
        }
        for action in LinkAction::VARIANTS.iter().copied() {
            assert_eq!(LinkAction::parse(action.as_str()), Some(action));
        }
        assert_eq!(LinkState::parse("LINKED"), None);
        assert_eq!(LinkAction::parse(""), None);
    }

    #[test]
    fn only_cloud_support_decides_and_only_the_platform_records_what_aws_said() {
        for action in [LinkAction::Approve, LinkAction::Reject, LinkAction::Inquire] {
            assert_eq!(action.party(), Party::CloudSupport);
        }
        for action in
            [LinkAction::Invite, LinkAction::Accept, LinkAction::Decline, LinkAction::Expire, LinkAction::Created]
        {
            assert_eq!(action.party(), Party::Platform);
        }
    }

    #[test]
    fn reasons_questions_and_answers_are_required_and_bounded() {
        assert_eq!(note_for(LinkAction::Approve, "ignored"), Ok(None));
        assert_eq!(note_for(LinkAction::Reject, "  ").unwrap_err(), FieldError::new(Field::Note, Problem::Required));
        let long = "a".repeat(NOTE_MAX_CHARS + 1);
        assert_eq!(note_for(LinkAction::Inquire, &long).unwrap_err(), FieldError::new(Field::Note, Problem::TooLong));
        assert_eq!(
            note_for(LinkAction::Answer, "Yes.\u{0}").unwrap_err(),
            FieldError::new(Field::Note, Problem::InvalidCharacters)
        );
        assert_eq!(note_for(LinkAction::Answer, " It is ours. "), Ok(Some("It is ours.".into())));
    }

    #[test]
    fn every_queue_filter_is_found_by_name_and_unknown_ones_fall_back_to_waiting() {
        for filter in QueueFilter::VARIANTS.iter().copied() {
            assert_eq!(QueueFilter::parse(filter.as_str()), filter);
        }
        assert_eq!(QueueFilter::parse("bogus"), QueueFilter::Waiting);
        assert!(!QueueFilter::All.states().contains(&LinkState::Added));
        assert_eq!(QueueFilter::All.states().len(), LinkState::VARIANTS.len() - 1);
    }
}
