//! The server's integration tests, one test binary: each module starts the real server (or the real
//! `portico` binary) on ephemeral ports with fresh databases. One binary instead of one per file saves
//! a link of the whole server for each.

mod access_matrix;
mod auth_http;
mod crowd;
mod designer_http;
mod devices_ssh;
mod fixtures;
mod fuzz;
mod identity_http;
mod instances_cloud;
mod images_http;
mod jobs_http;
mod live;
mod package_http;
mod process;
mod site_files;
mod stored_markup;
mod vims_cloud;
