//! The Test Drives catalog: time-boxed trials a reseller publishes in its widget.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr, VariantArray};

use crate::api::{FieldError, Problem};
use crate::ids::{InstanceId, ProviderId, TestDriveId};
use crate::names::json_by_name;
use crate::text::NAME_MAX;
use crate::text::{clean, clean_multiline};
use crate::Field;

const DESCRIPTION_MAX: usize = 1000;
pub const DURATION_MINUTES: std::ops::RangeInclusive<i64> = 15..=10_080;
pub const LAUNCH_LIMIT: std::ops::RangeInclusive<i64> = 1..=100;

/// A catalog entry.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct TestDrive {
    pub id: TestDriveId,
    pub name: String,
    pub description: String,
    pub duration_minutes: i64,
    pub launch_limit: i64,
    pub provider_id: ProviderId,
    pub provider_name: String,
    pub version: i64,
}

impl TestDrive {
    /// The entry as the form shows it.
    pub fn to_input(&self) -> TestDriveInput {
        TestDriveInput {
            name: self.name.clone(),
            description: self.description.clone(),
            duration_minutes: self.duration_minutes.to_string(),
            launch_limit: self.launch_limit.to_string(),
            provider: self.provider_id.to_string(),
        }
    }

    /// "Amazon Web Services · 2 hours · up to 3 at once per customer": the entry's terms, as
    /// the portal's catalog and the widget's Test Drives tab state them.
    pub fn facts(&self) -> String {
        let duration = duration_words(self.duration_minutes);
        format!("{} · {duration} · up to {} at once per customer", self.provider_name, self.launch_limit)
    }
}

/// A length of time in the largest whole unit that states it exactly; "1 h 30 min" where none
/// does and it is over an hour. The portal and the widget word it, each in its language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Span {
    Days(i64),
    Hours(i64),
    HoursMinutes(i64, i64),
    Minutes(i64),
}

pub fn span(minutes: i64) -> Span {
    match (minutes % 1440, minutes % 60) {
        (0, _) if minutes > 0 => Span::Days(minutes / 1440),
        (_, 0) if minutes > 0 => Span::Hours(minutes / 60),
        _ if minutes > 60 => Span::HoursMinutes(minutes / 60, minutes % 60),
        _ => Span::Minutes(minutes),
    }
}

/// A duration in English: "1 day", "2 hours", "1 h 30 min".
pub fn duration_words(minutes: i64) -> String {
    let plural = |n: i64, unit: &str| if n == 1 { format!("1 {unit}") } else { format!("{n} {unit}s") };
    match span(minutes) {
        Span::Days(n) => plural(n, "day"),
        Span::Hours(n) => plural(n, "hour"),
        Span::HoursMinutes(h, m) => format!("{h} h {m} min"),
        Span::Minutes(n) => plural(n, "minute"),
    }
}

/// A catalog entry as the form sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestDriveInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub duration_minutes: String,
    #[serde(default)]
    pub launch_limit: String,
    #[serde(default)]
    pub provider: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidTestDrive {
    pub name: String,
    pub description: String,
    pub duration_minutes: i64,
    pub launch_limit: i64,
    pub provider_id: ProviderId,
}

fn whole_number(field: Field, raw: &str, range: std::ops::RangeInclusive<i64>) -> Result<i64, FieldError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(FieldError::new(field, Problem::Required));
    }
    value
        .parse::<i64>()
        .ok()
        .filter(|n| range.contains(n))
        .ok_or_else(|| FieldError::new(field, Problem::InvalidFormat))
}

impl TestDriveInput {
    /// Checks every field; `providers` are the ids of the platform's cloud providers.
    pub fn validate(&self, providers: &[ProviderId]) -> Result<ValidTestDrive, Vec<FieldError>> {
        let name = match clean(&self.name, NAME_MAX, true) {
            Ok(Some(name)) => Ok(name),
            Ok(None) => Err(FieldError::new(Field::Name, Problem::Required)),
            Err(code) => Err(FieldError::new(Field::Name, code)),
        };
        let description = clean_multiline(&self.description, DESCRIPTION_MAX)
            .map_err(|code| FieldError::new(Field::Description, code));
        let duration = whole_number(Field::DurationMinutes, &self.duration_minutes, DURATION_MINUTES);
        let limit = whole_number(Field::LaunchLimit, &self.launch_limit, LAUNCH_LIMIT);
        let provider = providers
            .iter()
            .find(|id| id.as_str() == self.provider)
            .cloned()
            .ok_or_else(|| FieldError::new(Field::Provider, Problem::InvalidFormat));
        match (name, description, duration, limit, provider) {
            (Ok(name), Ok(description), Ok(duration_minutes), Ok(launch_limit), Ok(provider_id)) => {
                Ok(ValidTestDrive { name, description, duration_minutes, launch_limit, provider_id })
            }
            (name, description, duration, limit, provider) => Err(name
                .err()
                .into_iter()
                .chain(description.err())
                .chain(duration.err())
                .chain(limit.err())
                .chain(provider.err())
                .collect()),
        }
    }
}

/// Where a launched test drive stands: Launching → Running → Stopped (by the customer), Expired
/// (its time is up) or Failed (the provider could not start it).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr, EnumString, VariantArray)]
#[serde(rename_all = "snake_case", try_from = "String", into = "&'static str")]
#[strum(serialize_all = "snake_case")]
pub enum InstanceState {
    Launching,
    Running,
    Stopped,
    Expired,
    Failed,
}

json_by_name!(InstanceState);

impl InstanceState {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> Option<InstanceState> {
        text.parse().ok()
    }

    /// Launching or running: it counts against the launch limit and can be stopped.
    pub fn is_active(self) -> bool {
        matches!(self, InstanceState::Launching | InstanceState::Running)
    }
}

/// Which test drive to launch.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct LaunchRequest {
    /// A catalog entry's id.
    pub test_drive: TestDriveId,
}

/// A test drive a customer launched, as the widget shows it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instance {
    pub id: InstanceId,
    pub test_drive: String,
    pub state: InstanceState,
    pub launched_at: i64,
    /// When it ends by itself: the launch plus the test drive's duration.
    pub expires_at: i64,
    pub ended_at: Option<i64>,
    /// The provider's reason, when it failed.
    pub failure: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_states_read_back_and_only_live_ones_count() {
        for state in InstanceState::VARIANTS.iter().copied() {
            assert_eq!(InstanceState::parse(state.as_str()), Some(state));
        }
        assert_eq!(InstanceState::parse("paused"), None);
        let active: Vec<_> = InstanceState::VARIANTS.iter().copied().filter(|s| s.is_active()).collect();
        assert_eq!(active, [InstanceState::Launching, InstanceState::Running]);
    }

    #[test]
    fn durations_read_in_the_largest_exact_unit() {
        let read: Vec<String> =
            [15, 1, 60, 90, 120, 1440, 2880, 10_080, 1500].into_iter().map(duration_words).collect();
        assert_eq!(
            read,
            ["15 minutes", "1 minute", "1 hour", "1 h 30 min", "2 hours", "1 day", "2 days", "7 days", "25 hours"]
        );
    }

    fn input(name: &str, duration: &str, limit: &str, provider: &str) -> TestDriveInput {
        TestDriveInput {
            name: name.into(),
            description: "A sandbox".into(),
            duration_minutes: duration.into(),
            launch_limit: limit.into(),
            provider: provider.into(),
        }
    }

    #[test]
    fn each_bad_field_is_named() {
        let providers = vec![ProviderId("aws".to_owned())];
        let fields = |i: TestDriveInput| -> Vec<(Field, Problem)> {
            i.validate(&providers).unwrap_err().into_iter().map(|e| (e.field, e.code)).collect()
        };
        assert_eq!(
            fields(input("", "", "", "")),
            vec![
                (Field::Name, Problem::Required),
                (Field::DurationMinutes, Problem::Required),
                (Field::LaunchLimit, Problem::Required),
                (Field::Provider, Problem::InvalidFormat)
            ]
        );
        assert_eq!(fields(input("Lab", "14", "1", "aws")), vec![(Field::DurationMinutes, Problem::InvalidFormat)]);
        assert_eq!(fields(input("Lab", "10081", "1", "aws")), vec![(Field::DurationMinutes, Problem::InvalidFormat)]);
        assert_eq!(fields(input("Lab", "60", "101", "aws")), vec![(Field::LaunchLimit, Problem::InvalidFormat)]);
        assert_eq!(fields(input("Lab", "60", "1.5", "aws")), vec![(Field::LaunchLimit, Problem::InvalidFormat)]);
        assert_eq!(fields(input("Lab", "60", "1", "ibm")), vec![(Field::Provider, Problem::InvalidFormat)]);
        let valid = input(" Lab ", " 60 ", "3", "aws").validate(&providers).unwrap();
        assert_eq!((valid.name.as_str(), valid.duration_minutes, valid.launch_limit), ("Lab", 60, 3));
    }
}
