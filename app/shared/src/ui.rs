//! The form parts the widget and the portal both show, defined once: a labelled field with its
//! required mark and the line that says why it was refused, and the State list that follows the
//! country. Each crate words its labels; the wording of field errors is `language::field_message`.

use leptos::prelude::*;

use crate::regional;

/// A field's box: its label (with a red star while `required`), the control given as children,
/// and the refusal under it, `id`-ed so the control can name it in `aria-describedby`.
#[component]
pub fn FieldBox(
    /// The control's id, which the label points at.
    #[prop(into)]
    control: String,
    #[prop(into)] label: String,
    #[prop(into)] required: Signal<bool>,
    /// Why the value was refused, if it was.
    #[prop(into)]
    message: Signal<Option<String>>,
    /// The refusal's id.
    #[prop(into)]
    error_id: String,
    /// Extra classes of the box (`narrow`).
    #[prop(optional)]
    class: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <div class=if class.is_empty() { "field".to_owned() } else { format!("field {class}") }>
            <label for=control>
                {label}
                <span class="required" aria-hidden="true" hidden=move || !required.get()>" *"</span>
            </label>
            {children()}
            <p class="field-error" id=error_id>{move || message.get()}</p>
        </div>
    }
}

/// The choices of the State list for `country`, as (value, label), after a first "choose" entry
/// worded by the caller; `None` where Portico has no list and State is free text. A stored value
/// outside the list (typed before lists existed) is kept as a choice until someone changes it.
pub fn state_choices(country: &str, kept: &str, choose: &str) -> Option<Vec<(String, String)>> {
    let listed: Vec<&'static str> = regional::subdivisions(country.trim())?.map(|(_, name)| name).collect();
    let stray = (!kept.is_empty() && !listed.contains(&kept)).then(|| (kept.to_owned(), kept.to_owned()));
    Some(
        std::iter::once((String::new(), choose.to_owned()))
            .chain(stray)
            .chain(listed.into_iter().map(|name| (name.to_owned(), name.to_owned())))
            .collect(),
    )
}

/// `<option>`s with one selected.
pub fn options(choices: Vec<(String, String)>, selected: String) -> impl IntoView {
    choices
        .into_iter()
        .map(|(value, label)| {
            let is_selected = value == selected;
            view! { <option value=value selected=is_selected>{label}</option> }
        })
        .collect_view()
}

/// `<option>`s as markup, for a long list the browser parses in one step: (value, label), the
/// one whose value is `selected` chosen.
pub fn options_markup<'a>(choices: impl IntoIterator<Item = (&'a str, &'a str)>, selected: &str) -> String {
    let escape = |text: &str| text.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;");
    let mut html = String::new();
    for (value, label) in choices {
        let chosen = if value == selected { " selected" } else { "" };
        html.push_str(&format!("<option value=\"{}\"{chosen}>{}</option>", escape(value), escape(label)));
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_escaped_and_one_is_chosen() {
        let html = options_markup([("", "Choose…"), ("A&B", "\"A\" <&> B")], "A&B");
        assert_eq!(
            html,
            "<option value=\"\">Choose…</option><option value=\"A&amp;B\" selected>&quot;A&quot; &lt;&amp;> B</option>"
        );
    }

    #[test]
    fn states_follow_the_country_and_keep_a_stray_value() {
        let choices = state_choices("US", "Old Province", "Choose…").unwrap_or_default();
        assert_eq!(choices[0], (String::new(), "Choose…".to_owned()));
        assert_eq!(choices[1], ("Old Province".to_owned(), "Old Province".to_owned()));
        assert!(choices.iter().any(|(value, _)| value == "Arizona"));
        assert_eq!(state_choices("FR", "", "Choose…"), None);
    }
}
