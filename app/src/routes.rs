//! The portal's pages as lazy routes, in groups: each group's code is a part of the WebAssembly
//! of its own (with parts for the code groups share), fetched when one of its pages is first
//! shown. The first load of a page carries the router and its group, not every page. The
//! server renders them as before; `cargo xtask build` splits the bundle and prints each group's
//! size.
//!
//! Groups rather than one part per page: split per page, the shared code fell into 459 parts
//! (every combination of pages that share a function gets its own), 143 of them for the
//! Customers list alone, one request each. Pages are grouped by who opens them together, and
//! packed so that a group's first load stays within 350 KB; a customer's page, a group alone,
//! is still over (docs/architecture.md has the figures).

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::erased::IntoAnySync;
use crate::pages::*;

/// Room for the splitter in the bundle's read-only data, which the linker lays out as one block
/// with the writable data right after it. The splitter gives each part its own run of that
/// block, each run aligned, so the runs take more room than the linker's layout did; when they
/// no longer fit, it leaves all of the read-only data (140 KB) in the main module, which every
/// page loads. Eight groups fitted; nine did not (every page's first load 99.0 → 144.8 KB).
/// The linker keeps this block because it is marked used, and the splitter drops it because no
/// code reads it: what remains is room.
#[cfg(feature = "hydrate")]
#[used]
static ROOM_FOR_THE_SPLITTER: [u8; 16 * 1024] = [0x5a; 16 * 1024];

/// A group of pages loaded together: an enum naming them, a lazy function that draws one, and a
/// lazy route for each.
///
/// `$preload` is the function `#[lazy]` makes beside `$group` (in the browser) that fetches its
/// part: the router calls a route's `preload` before it hydrates the page, which must find the
/// page's code already there (hydrating before the part arrived would find the server's HTML
/// where it expects a placeholder).
macro_rules! lazy_group {
    ($group:ident, $preload:ident: $kind:ident { $($route:ident => $page:ident),* $(,)? }) => {
        // Each variant is named after the page component it draws.
        #[allow(clippy::enum_variant_names)]
        #[derive(Clone, Copy)]
        enum $kind {
            $($page),*
        }

        #[leptos::lazy]
        fn $group(page: $kind) -> AnyView {
            match page {
                $($kind::$page => view! { <$page/> }.into_any_sync()),*
            }
        }

        $(
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    #[cfg(feature = "ssr")]
                    preload_first_load(stringify!($group));
                    $group($kind::$page).await
                }

                async fn preload() {
                    #[cfg(feature = "hydrate")]
                    $preload().await;
                }
            }
        )*
    };
}

/// Names the file of the group's parts (`xtask/src/first_load.rs`) as a preload in the page's
/// response, an HTTP `Link` header, so that it downloads beside the main module. The Leptos
/// integration names it in the page's head too, but only when it happens to find the page's
/// context after rendering: about half the time here. Without either, the part loader still
/// fetches the file, later.
#[cfg(feature = "ssr")]
fn preload_first_load(group: &str) {
    let (Some(manifest), Some(response)) =
        (use_context::<leptos::WasmSplitManifest>(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    let Some(manifest) = manifest.0.try_read_value() else {
        return;
    };
    let (folder, preloads, _) = &*manifest;
    // The manifest's keys are the lazy functions' names: the group's, with a hash appended.
    let named = preloads.iter().find(|(lazy, _)| lazy.rsplit_once('_').is_some_and(|(name, _)| name == group));
    for stem in named.into_iter().flat_map(|(_, stems)| stems) {
        let link = format!("<{folder}/{stem}.wasm>; rel=preload; as=fetch; crossorigin");
        if let Ok(value) = http::HeaderValue::from_str(&link) {
            response.append_header(http::header::LINK, value);
        }
    }
}

lazy_group!(sign_in_pages, __preload_sign_in_pages: SignInPages {
    SignInRoute => SignInPage,
    SecondStepRoute => SecondStepPage,
});

lazy_group!(access_pages, __preload_access_pages: AccessPages {
    ForgotPasswordRoute => ForgotPasswordPage,
    ResetPasswordRoute => ResetPasswordPage,
    AcceptInvitationRoute => AcceptInvitationPage,
});

lazy_group!(customer_list_pages, __preload_customer_list_pages: CustomerListPages {
    CustomersRoute => CustomersPage,
});

lazy_group!(reseller_pages, __preload_reseller_pages: ResellerPages {
    HomeRoute => HomePage,
    AddCustomerRoute => AddCustomerPage,
    HistoryRoute => HistoryPage,
    NotificationsRoute => NotificationsPage,
    AccountRoute => AccountPage,
});

lazy_group!(customer_pages, __preload_customer_pages: CustomerPages {
    CustomerRoute => CustomerPage,
});

lazy_group!(settings_pages, __preload_settings_pages: SettingsPages {
    TeamRoute => TeamPage,
    WidgetSettingsRoute => WidgetSettingsPage,
    CustomerFieldsSettingsRoute => CustomerFieldsSettingsPage,
});

lazy_group!(billing_pages, __preload_billing_pages: BillingPages {
    UsageRoute => UsagePage,
    BillingRoute => BillingPage,
    InvoiceRoute => InvoicePage,
    ProductsRoute => ProductsPage,
});

// The platform's pages, with the two settings pages that fitted nowhere else under 350 KB.
lazy_group!(platform_and_catalog_pages, __preload_platform_and_catalog_pages: PlatformAndCatalogPages {
    ResellersRoute => ResellersPage,
    AddResellerRoute => AddResellerPage,
    CloudSupportRoute => CloudSupportPage,
    TestDrivesRoute => TestDrivesPage,
    TaxRatesRoute => TaxRatesPage,
});
