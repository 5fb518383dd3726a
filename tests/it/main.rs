//! Integration tests: one binary (fast to link), one module per area, driving the real
//! router the way a browser or API client does.

mod admin_auth;
mod admin_dashboard;
mod admin_exhibition_history;
mod admin_exhibitions;
mod admin_import;
mod admin_item_history;
mod admin_item_media;
mod admin_items;
mod admin_manage;
mod admin_users;
mod api;
mod classroom;
mod classroom_items;
mod classroom_limits;
mod classroom_offline;
mod cli;
mod connection;
mod crawlers;
mod export;
mod fixity;
mod gallery;
mod helpers;
mod iiif_image;
mod iiif_presentation;
mod import;
mod media;
mod oai;
mod openapi;
mod search;
mod search_index;
mod serving;
mod storage;
mod timeouts;
mod tus;
mod uploads;
