//! Pages the server renders itself, outside the portal: the widget's iframe page, the pages
//! behind e-mailed links, and the simulated cloud's console. Templates escape what they insert.

mod cloud_access;
mod frame;
mod reset;
mod simulated_console;
mod standalone;
mod verify;

use axum::routing::{get, post};
use axum::Router;

use crate::config::CloudGateway;
use crate::AppState;

pub fn router(state: &AppState) -> Router<AppState> {
    let pages = Router::new()
        .route("/widget/v1/frame", get(frame::page))
        .route("/widget/v1/reset", get(reset::show).post(reset::change))
        .route("/widget/v1/verify", get(verify::show).post(verify::confirm))
        .route("/widget/v1/verify/resend", post(verify::resend))
        .route("/cloud-access", get(cloud_access::show).post(cloud_access::open));
    // The simulated cloud's account owners answer here; AWS has its own console. Anyone may answer
    // there, so it is served only where that is the point: the demo, or a server asked to.
    let console = state.config.demo || state.config.simulated_console;
    if state.config.cloud_gateway == CloudGateway::Simulated && console {
        pages.merge(simulated_console::router())
    } else {
        pages
    }
}
