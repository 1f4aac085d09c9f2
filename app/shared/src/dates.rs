//! Dates as Portico shows and exports them, without a date library in the browser bundles.

/// `YYYY-MM-DD` (UTC) of a millisecond timestamp, without a date library in the bundle.
pub fn date(ms: i64) -> String {
    let days = ms.div_euclid(86_400_000);
    // Civil-from-days (Howard Hinnant's algorithm), valid for the proleptic Gregorian calendar.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// `YYYY-MM-DD HH:MM UTC` of a millisecond timestamp.
pub fn date_time(ms: i64) -> String {
    let minutes = ms.div_euclid(60_000).rem_euclid(24 * 60);
    format!("{} {:02}:{:02} UTC", date(ms), minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::{date, date_time};

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
