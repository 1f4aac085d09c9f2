use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::SignIn;
use crate::erased::IntoAnySync;
use crate::pages::inputs::SubmitButton;

#[component]
pub fn SignInPage() -> impl IntoView {
    let sign_in = ServerAction::<SignIn>::new();
    let pending = sign_in.pending();
    let error = move || sign_in.value().get().and_then(Result::err);
    let query = use_query_map();
    let reset_done = move || query.with(|q| q.get("reset").as_deref() == Some("done"));
    view! {
        <Title text="Sign in"/>
        <main class="auth">
            <h1>"Portico"</h1>
            <p class="lede">"Sign in to your reseller portal."</p>
            <p class="notice" role="status">
                {move || reset_done().then_some("Your password is changed. Sign in with the new one.")}
            </p>
            <ActionForm action=sign_in>
                {view! {
                    <div class="field">
                        <label for="email">"E-mail"</label>
                        <input id="email" name="email" type="email" autocomplete="username" required/>
                    </div>
                    <div class="field">
                        <label for="password">"Password"</label>
                        <input id="password" name="password" type="password" autocomplete="current-password" required/>
                    </div>
                    <p class="form-error" role="alert" aria-live="assertive">{move || error().map(|e| e.to_string())}</p>
                    <SubmitButton pending label="Sign in" busy="Signing in…"/>
                }
                .into_any_sync()}
            </ActionForm>
            <p><a href="/forgot-password">"Forgot your password?"</a></p>
        </main>
    }
}
