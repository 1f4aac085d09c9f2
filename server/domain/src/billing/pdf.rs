//! An invoice as a PDF (A4), written with pdf-writer in the standard PDF fonts (Helvetica for
//! words, Courier and Courier-Bold for amounts, whose every character is 0.6 em wide, so they
//! line up on the right without font metrics), so nothing
//! is embedded and the file stays a few kilobytes. Positions on the page are points; amounts
//! are the invoice's own formatted text.

use pdf_writer::{Content, Name, Pdf, Rect, Ref, Str, TextStr};
use portico_shared::billing::Invoice;
use portico_shared::dates::date;

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const LEFT: f32 = 50.0;
const RIGHT: f32 = WIDTH - 50.0;
const BOTTOM: f32 = 70.0;
/// Courier's advance is 600/1000 of the size for every character.
const COURIER_ADVANCE: f32 = 0.6;

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");
const FIXED: Name<'static> = Name(b"F3");
const FIXED_BOLD: Name<'static> = Name(b"F4");

/// The pages' content, written top to bottom, a new page when one is full.
struct Pages {
    pages: Vec<Content>,
    y: f32,
}

impl Pages {
    fn new() -> Pages {
        Pages { pages: vec![Content::new()], y: HEIGHT - 60.0 }
    }

    fn page(&mut self) -> &mut Content {
        if self.pages.is_empty() {
            self.pages.push(Content::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Moves down by `height`, onto a new page when it would pass the bottom margin.
    fn down(&mut self, height: f32) {
        self.y -= height;
        if self.y < BOTTOM {
            self.pages.push(Content::new());
            self.y = HEIGHT - 60.0 - height;
        }
    }

    fn text(&mut self, font: Name<'static>, size: f32, x: f32, text: &str, grey: bool) {
        let y = self.y;
        let content = self.page();
        let shade = if grey { 0.4 } else { 0.1 };
        content.set_fill_rgb(shade, shade, shade);
        content.begin_text();
        content.set_font(font, size);
        content.next_line(x, y);
        content.show(Str(&win_ansi(text)));
        content.end_text();
    }

    /// An amount, its last character at the right margin.
    fn amount(&mut self, size: f32, text: &str, bold: bool) {
        let width = COURIER_ADVANCE * size * text.chars().count() as f32;
        self.text(if bold { FIXED_BOLD } else { FIXED }, size, RIGHT - width, text, false);
    }

    fn rule(&mut self) {
        let y = self.y;
        let content = self.page();
        content.set_stroke_rgb(0.75, 0.75, 0.75);
        content.set_line_width(0.5);
        content.move_to(LEFT, y);
        content.line_to(RIGHT, y);
        content.stroke();
    }
}

/// The invoice's PDF.
pub fn render(invoice: &Invoice) -> Vec<u8> {
    let bill = &invoice.bill;
    let mut pages = Pages::new();
    pages.text(BOLD, 18.0, LEFT, &invoice.seller, false);
    pages.down(26.0);
    pages.text(BOLD, 13.0, LEFT, &format!("Invoice {}", invoice.reference()), false);
    pages.down(16.0);
    pages.text(REGULAR, 10.0, LEFT, &format!("For {}", bill.month.label()), false);
    pages.down(13.0);
    pages.text(REGULAR, 10.0, LEFT, &format!("Issued {}", date(invoice.summary.issued_at)), false);
    pages.down(24.0);
    pages.text(BOLD, 10.0, LEFT, "Bill to", false);
    for line in invoice.bill_to.lines() {
        pages.down(13.0);
        pages.text(REGULAR, 10.0, LEFT, line, false);
    }
    pages.down(28.0);
    pages.text(BOLD, 9.0, LEFT, "Description", false);
    pages.amount(9.0, &format!("Amount ({})", bill.currency.code()), true);
    pages.down(6.0);
    pages.rule();
    for line in &bill.lines {
        pages.down(13.0);
        pages.text(REGULAR, 9.0, LEFT, &shortened(&line.description, 80), false);
        pages.amount(9.0, &line.amount.format(), false);
        pages.down(10.0);
        pages.text(REGULAR, 7.0, LEFT + 8.0, &shortened(&line.source, 110), true);
    }
    pages.down(8.0);
    pages.rule();
    let credits = format!("-{}", bill.credits.format());
    let totals = [("Subtotal", bill.subtotal.format()), ("Tax", bill.tax.format()), ("Credits", credits)];
    for (label, amount) in totals {
        pages.down(14.0);
        pages.text(REGULAR, 10.0, RIGHT - 220.0, label, false);
        pages.amount(10.0, &amount, false);
    }
    pages.down(18.0);
    pages.text(BOLD, 12.0, RIGHT - 220.0, "Total due", false);
    pages.amount(12.0, &bill.total.format(), true);
    for note in &bill.notes {
        pages.down(16.0);
        pages.text(REGULAR, 8.0, LEFT, note, true);
    }
    finish(invoice, pages.pages)
}

fn finish(invoice: &Invoice, pages: Vec<Content>) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let (catalog, tree, info) = (Ref::new(1), Ref::new(2), Ref::new(3));
    let fonts = [
        (REGULAR, Ref::new(4), "Helvetica"),
        (BOLD, Ref::new(5), "Helvetica-Bold"),
        (FIXED, Ref::new(6), "Courier"),
        (FIXED_BOLD, Ref::new(7), "Courier-Bold"),
    ];
    let ids: Vec<(Ref, Ref)> = (0..pages.len())
        .map(|n| {
            let n = i32::try_from(n).unwrap_or(0);
            (Ref::new(8 + 2 * n), Ref::new(9 + 2 * n))
        })
        .collect();
    pdf.catalog(catalog).pages(tree);
    pdf.pages(tree).kids(ids.iter().map(|(page, _)| *page)).count(i32::try_from(ids.len()).unwrap_or(1));
    let title = format!("Invoice {} — {}", invoice.reference(), invoice.seller);
    pdf.document_info(info).title(TextStr(&title)).author(TextStr(&invoice.seller));
    for ((page_id, content_id), content) in ids.iter().zip(pages) {
        let mut page = pdf.page(*page_id);
        page.media_box(Rect::new(0.0, 0.0, WIDTH, HEIGHT));
        page.parent(tree);
        page.contents(*content_id);
        let mut resources = page.resources();
        let mut font_map = resources.fonts();
        for (name, id, _) in &fonts {
            font_map.pair(*name, *id);
        }
        drop(font_map);
        drop(resources);
        drop(page);
        pdf.stream(*content_id, &content.finish());
    }
    for (_, id, base) in fonts {
        pdf.type1_font(id).base_font(Name(base.as_bytes())).encoding_predefined(Name(b"WinAnsiEncoding"));
    }
    pdf.finish()
}

/// At most `limit` characters, an ellipsis marking a cut.
fn shortened(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_owned();
    }
    let mut cut: String = text.chars().take(limit - 1).collect();
    cut.push('…');
    cut
}

/// Text in the standard fonts' WinAnsi encoding: Latin-1 as it is, the few Windows-1252
/// punctuation marks and the euro sign by their codes, anything else as `?`.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            ' '..='~' => c as u8,
            '\u{a0}'..='\u{ff}' => c as u32 as u8,
            '€' => 0x80,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            '−' => b'-',
            _ => b'?',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use portico_shared::billing::{Bill, BillLine, InvoiceSummary, LineKind};
    use portico_shared::dates::Month;
    use portico_shared::ids::{CustomerId, InvoiceId};
    use portico_shared::money::{Currency, Money};

    use super::*;

    #[test]
    fn a_long_invoice_runs_onto_more_pages() {
        let usd = |minor| Money::new(minor, Currency::USD);
        let line = |n: i64| BillLine {
            kind: LineKind::Usage,
            description: format!("Service {n} — account 111122223333"),
            source: "cur.csv".into(),
            amount: usd(n * 100),
        };
        let invoice = Invoice {
            summary: InvoiceSummary {
                id: InvoiceId("ivc_1".into()),
                number: 42,
                customer: CustomerId("cus_1".into()),
                organization: "Acme".into(),
                month: Month::parse("2026-11").unwrap(),
                total: usd(1),
                issued_at: 0,
            },
            seller: "Reseller €".into(),
            bill_to: "Acme\nAttn: Jo".into(),
            contact_email: "jo@acme.test".into(),
            bill: Bill {
                month: Month::parse("2026-11").unwrap(),
                currency: Currency::USD,
                lines: (1..=80).map(line).collect(),
                subtotal: usd(1),
                tax: usd(0),
                credits: usd(0),
                total: usd(1),
                notes: vec!["Reverse charge.".into()],
            },
        };
        let pdf = render(&invoice);
        let text = String::from_utf8_lossy(&pdf);
        assert!(pdf.starts_with(b"%PDF-") && text.contains("Invoice INV-000042") && text.contains("$80.00"));
        let pages: usize =
            text.split("/Count ").nth(1).and_then(|rest| rest.split_whitespace().next()).unwrap().parse().unwrap();
        assert!(pages >= 2, "{pages} pages");
    }

    #[test]
    fn text_is_written_in_win_ansi() {
        assert_eq!(win_ansi("€1 — ×2 ✓"), vec![0x80, b'1', b' ', 0x97, b' ', 0xd7, b'2', b' ', b'?']);
        assert_eq!(shortened("abcdef", 4), "abc…");
    }
}
