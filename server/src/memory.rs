//! Process-wide allocator tuning.

/// Large blocks (argon2's 19 MiB per password hash, uploaded files) are mapped on their own and
/// handed back to the system when freed. By default glibc raises its mmap threshold after the first
/// such block is freed, so later ones are carved from per-thread arenas that keep the memory for
/// reuse: after a crowd of sign-ins the server held ~280 MiB it no longer used (measured with
/// `make bench`, 1,000 sign-ins at once). A fixed threshold keeps memory flat after the crowd.
pub fn return_large_allocations() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's tuning; it is called once, at start-up.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
    }
}
