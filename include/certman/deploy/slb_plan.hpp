// The decisions of the alicloud-slb deployer that need no network: does a listener already serve our
// certificate, which uploaded certificate can be reused, what to call a new upload, and which of certman's
// older uploads to delete. Pure (the SLB state comes in as parsed values); slb_deployer.cpp does the I/O.
//
// Upload names: "certman-<certificate name>-<not_after yyyymmdd>-<first 8 hex digits of the serial>", e.g.
// "certman-www-20250401-0a1b2c3d". SLB allows 1-80 characters from letters, digits, '.', '_', '-' starting with
// a letter (reference §2 UploadServerCertificate): other characters become '-', long names are shortened.
#pragma once
#include <chrono>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "certman/cloud/alibaba/slb_model.hpp"
#include "certman/deploy/cleanup_bound.hpp"

namespace certman::deploy {

// The leaf certificate's identity as the deployer compares it.
struct leaf_fingerprints {
    std::string sha1;    // lowercase hex, no colons
    std::string sha256;  // lowercase hex, no colons
};

// True when SLB's Fingerprint (any case, with or without colons) is the SHA-1 (40 hex digits) or SHA-256
// (64 hex digits) of our leaf. Any other length never matches.
bool fingerprint_matches(std::string_view slb_fingerprint, const leaf_fingerprints& leaf);

// The name to upload under (see above). `serial_hex` is lowercase hex.
std::string slb_certificate_name(std::string_view certificate_name, std::chrono::sys_seconds not_after,
                                 std::string_view serial_hex);

// True when `uploaded` is a name slb_certificate_name made for `certificate_name` (prefix, then exactly
// 8 digits, '-', hex), so that "www" never claims the uploads of "www-2".
bool is_upload_of(std::string_view uploaded, std::string_view certificate_name);

// An already uploaded certificate with our leaf's fingerprint, preferring one certman named for this
// certificate; nullptr when none.
const cloud::alibaba::server_certificate* find_reusable(const std::vector<cloud::alibaba::server_certificate>& all,
                                                        const leaf_fingerprints& leaf,
                                                        std::string_view certificate_name);

// IDs of certman's uploads for `certificate_name` to delete: every upload of it (is_upload_of) except `current`
// and those in `in_use`, newest first by CreateTimeStamp (then by name), skipping the `keep_previous` newest;
// at most max_deletions_per_deploy (cleanup_bound.hpp).
std::vector<std::string> certificates_to_delete(const std::vector<cloud::alibaba::server_certificate>& all,
                                                std::string_view certificate_name, std::string_view current,
                                                const std::set<std::string>& in_use, int keep_previous);

}  // namespace certman::deploy
