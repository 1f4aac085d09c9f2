//! Dates as Portico shows and exports them, and the calendar days and months that rules, rates
//! and subscriptions are dated by, without a date library in the browser bundles.

use serde::{Deserialize, Serialize};

use crate::api::Problem;

/// One millisecond short of a day.
const DAY_MS: i64 = 86_400_000;

/// `YYYY-MM-DD` (UTC) of a millisecond timestamp, without a date library in the bundle.
pub fn date(ms: i64) -> String {
    Day::of_ms(ms).to_string()
}

/// A calendar day (UTC), stored and sent as `YYYY-MM-DD` (what a date input sends).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Day {
    year: i32,
    month: u8,
    day: u8,
}

impl Day {
    /// A day as typed: `YYYY-MM-DD`, a real day of the calendar (year 1 to 9999).
    pub fn parse(raw: &str) -> Result<Day, Problem> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(Problem::Required);
        }
        let parts: Vec<&str> = raw.split('-').collect();
        let [year, month, day] = parts.as_slice() else { return Err(Problem::InvalidFormat) };
        if year.len() != 4 || month.len() != 2 || day.len() != 2 {
            return Err(Problem::InvalidFormat);
        }
        let (Ok(year), Ok(month), Ok(day)) = (year.parse::<i32>(), month.parse::<u8>(), day.parse::<u8>()) else {
            return Err(Problem::InvalidFormat);
        };
        let days = days_in_month(year, month).ok_or(Problem::InvalidFormat)?;
        if year < 1 || !(1..=days).contains(&day) {
            return Err(Problem::InvalidFormat);
        }
        Ok(Day { year, month, day })
    }

    /// The day (UTC) of a millisecond timestamp.
    pub fn of_ms(ms: i64) -> Day {
        Day::from_days(ms.div_euclid(DAY_MS))
    }

    /// The day `days` after 1970-01-01 (civil-from-days, Howard Hinnant's algorithm, valid for
    /// the proleptic Gregorian calendar).
    pub fn from_days(days: i64) -> Day {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Day {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: u8::try_from(month).unwrap_or(1),
            day: u8::try_from(day).unwrap_or(1),
        }
    }

    /// Days since 1970-01-01 (days-from-civil, the inverse of [`Day::from_days`]).
    pub fn days(self) -> i64 {
        let year = i64::from(self.year) - i64::from(self.month <= 2);
        let era = year.div_euclid(400);
        let yoe = year.rem_euclid(400);
        let month = i64::from(self.month);
        let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The millisecond this day starts (UTC).
    pub fn start_ms(self) -> i64 {
        self.days() * DAY_MS
    }

    /// The month this day is in.
    pub fn month(self) -> Month {
        Month { year: self.year, month: self.month }
    }

    /// The day `months` calendar months later, on the same day of the month or the month's last
    /// day (a term from January 31 ends on February 28 or 29).
    pub fn add_months(self, months: u32) -> Day {
        let target = self.month().plus(months);
        let last = days_in_month(target.year, target.month).unwrap_or(28);
        Day { year: target.year, month: target.month, day: self.day.min(last) }
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl TryFrom<String> for Day {
    type Error = &'static str;

    fn try_from(raw: String) -> Result<Day, &'static str> {
        Day::parse(&raw).map_err(|_| "a day as YYYY-MM-DD")
    }
}

impl From<Day> for String {
    fn from(day: Day) -> String {
        day.to_string()
    }
}

/// A calendar month, stored and sent as `YYYY-MM` (what a month input sends): what charges and
/// discounts are dated by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    year: i32,
    month: u8,
}

impl Month {
    /// A month as typed: `YYYY-MM`.
    pub fn parse(raw: &str) -> Result<Month, Problem> {
        let raw = raw.trim();
        if raw.is_empty() {
            return Err(Problem::Required);
        }
        let (year, month) = raw.split_once('-').ok_or(Problem::InvalidFormat)?;
        if year.len() != 4 || month.len() != 2 {
            return Err(Problem::InvalidFormat);
        }
        let (Ok(year), Ok(month)) = (year.parse::<i32>(), month.parse::<u8>()) else {
            return Err(Problem::InvalidFormat);
        };
        if year < 1 || !(1..=12).contains(&month) {
            return Err(Problem::InvalidFormat);
        }
        Ok(Month { year, month })
    }

    /// The month of a millisecond timestamp (UTC).
    pub fn of_ms(ms: i64) -> Month {
        Day::of_ms(ms).month()
    }

    /// The month `months` later.
    pub fn plus(self, months: u32) -> Month {
        self.shifted(i64::from(months))
    }

    /// The month `months` earlier.
    pub fn minus(self, months: u32) -> Month {
        self.shifted(-i64::from(months))
    }

    fn shifted(self, months: i64) -> Month {
        let index = i64::from(self.year) * 12 + i64::from(self.month) - 1 + months;
        Month {
            year: i32::try_from(index.div_euclid(12)).unwrap_or(i32::MAX),
            month: u8::try_from(index.rem_euclid(12) + 1).unwrap_or(1),
        }
    }

    /// Its first day.
    pub fn first_day(self) -> Day {
        Day { year: self.year, month: self.month, day: 1 }
    }

    /// Its last day.
    pub fn last_day(self) -> Day {
        Day { year: self.year, month: self.month, day: self.days() }
    }

    /// How many days it has.
    pub fn days(self) -> u8 {
        days_in_month(self.year, self.month).unwrap_or(30)
    }

    /// "Dec 26", for a chart's axis.
    pub fn short_label(self) -> String {
        let name: String = self.label().chars().take(3).collect();
        format!("{name} {:02}", self.year.rem_euclid(100))
    }

    /// "December 2026".
    pub fn label(self) -> String {
        const NAMES: [&str; 12] = [
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ];
        format!("{} {}", NAMES[usize::from(self.month.clamp(1, 12) - 1)], self.year)
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for Month {
    type Error = &'static str;

    fn try_from(raw: String) -> Result<Month, &'static str> {
        Month::parse(&raw).map_err(|_| "a month as YYYY-MM")
    }
}

impl From<Month> for String {
    fn from(month: Month) -> String {
        month.to_string()
    }
}

/// How many days `month` of `year` has; `None` for a month that does not exist.
fn days_in_month(year: i32, month: u8) -> Option<u8> {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    Some(match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    })
}

/// `YYYY-MM-DD HH:MM UTC` of a millisecond timestamp.
pub fn date_time(ms: i64) -> String {
    let minutes = ms.div_euclid(60_000).rem_euclid(24 * 60);
    format!("{} {:02}:{:02} UTC", date(ms), minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_parse_count_and_read_back() {
        for raw in ["1970-01-01", "2000-02-29", "2026-12-31", "2028-02-29", "0001-01-01"] {
            let day = Day::parse(raw).unwrap();
            assert_eq!(day.to_string(), raw);
            assert_eq!(Day::from_days(day.days()), day, "{raw}");
        }
        assert_eq!(Day::parse("1970-01-02").unwrap().days(), 1);
        assert_eq!(Day::parse("2026-11-26").unwrap().start_ms(), 1_795_651_200_000);
        for bad in ["2026-02-29", "2026-13-01", "2026-1-01", "26-01-01", "2026/01/01", "soon", "2026-00-10"] {
            assert_eq!(Day::parse(bad), Err(Problem::InvalidFormat), "{bad}");
        }
        assert_eq!(Day::parse(" "), Err(Problem::Required));
    }

    #[test]
    fn months_parse_step_and_end_terms_on_real_days() {
        let month = Month::parse("2026-11").unwrap();
        assert_eq!(month.plus(2).to_string(), "2027-01");
        assert_eq!(month.label(), "November 2026");
        assert!(Month::parse("2026-13").is_err() && Month::parse("2026-1").is_err());
        let jan31 = Day::parse("2027-01-31").unwrap();
        assert_eq!(jan31.add_months(1).to_string(), "2027-02-28");
        assert_eq!(jan31.add_months(12).to_string(), "2028-01-31");
        assert_eq!(Day::parse("2027-11-15").unwrap().add_months(2).to_string(), "2028-01-15");
    }

    #[test]
    fn formats_known_dates() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(951_782_400_000), "2000-02-29");
        assert_eq!(date(1_795_651_200_000), "2026-11-26");
        assert_eq!(date(1_795_737_599_999), "2026-11-26");
        assert_eq!(date(-86_400_000), "1969-12-31");
        assert_eq!(date_time(1_795_737_599_999), "2026-11-26 23:59 UTC");
    }
}
