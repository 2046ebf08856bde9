// The decisions of the alicloud-alb and alicloud-nlb deployers that need no network (reference
// /work/shared/reference/alibaba-cas-alb-nlb-alidns.md §2, §9): what to call an upload to CAS, which CAS
// certificate is already ours, whether the listener needs an upload, only an update, or nothing, and which of
// certman's older uploads to delete afterwards. Pure: the service state comes in as parsed values;
// cas_listener_deployer.cpp and cas_cleanup.cpp do the I/O.
//
// Upload names: "<prefix>_<certificate name>_<not_after yyyymmdd>_<first 16 hex digits of the serial>", e.g.
// "certman_www_20250401_0a1b2c3d4e5f6071". CAS allows up to 64 characters from letters, digits and underscores
// and the name is unique per account (§2.1): other characters become '_', a long certificate name is cut.
// Because the name carries the serial, a certificate with our name is our leaf even when CAS's Sha2 is not the
// SHA-256 of the DER leaf (that meaning is [unverified]).
#pragma once
#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "certman/cloud/alibaba/cas_model.hpp"
#include "certman/deploy/cleanup_bound.hpp"

namespace certman::deploy {

inline constexpr std::size_t cas_name_max = 64;
inline constexpr std::size_t cas_prefix_max = 16;

// True when `prefix` is 1-16 letters, digits or underscores (the cert_name_prefix option).
bool valid_cas_prefix(std::string_view prefix);

// The name to upload under (see above). `serial_hex` is hex in any case; at most cas_name_max characters.
std::string cas_upload_name(std::string_view prefix, std::string_view certificate_name,
                            std::chrono::sys_seconds not_after, std::string_view serial_hex);

// True when `c` is our leaf: Sha2 equal to `leaf_sha256` (case and ':' ignored) or named `upload_name`.
bool is_our_upload(const cloud::alibaba::cas_certificate& c, std::string_view leaf_sha256,
                   std::string_view upload_name);

// The CAS certificate that is our leaf: Sha2 equal to `leaf_sha256` (case and ':' ignored), or the name
// `upload_name`; nullptr when none.
const cloud::alibaba::cas_certificate* find_our_upload(const std::vector<cloud::alibaba::cas_certificate>& uploads,
                                                       std::string_view leaf_sha256, std::string_view upload_name);

enum class cas_listener_step {
    already_deployed,  // the listener's default certificate is our CAS certificate: change nothing
    point_listener,    // CAS has our certificate (cert_id): point the listener at it
    upload_and_point,  // upload to CAS first, then point the listener at the new certificate
};

struct cas_listener_plan {
    cas_listener_step step = cas_listener_step::upload_and_point;
    std::int64_t cert_id = 0;  // the CAS certificate to use (0 for upload_and_point)
};

// `listener_certificate_ids` as GetListenerAttribute returns them ("123-cn-hangzhou" or a bare "123"); the
// first is the default certificate. already_deployed when it is one of `uploads` that is_our_upload (so a
// second copy of our leaf in CAS never causes an update); else point_listener at find_our_upload; else
// upload_and_point. Never fails.
cas_listener_plan plan_cas_listener(const std::vector<std::string>& listener_certificate_ids,
                                    const std::vector<cloud::alibaba::cas_certificate>& uploads,
                                    std::string_view leaf_sha256, std::string_view upload_name,
                                    std::string_view region);

// True when `name` is exactly what cas_upload_name makes for `certificate_name` under `prefix` for some
// not_after date and serial: "<prefix>_<name part>_<yyyymmdd, a real date>_<1-16 lowercase hex digits>", the
// name part cut as cas_upload_name cuts it for that serial's length. So "www" never claims the uploads of
// "www_2" or "www2", another prefix's uploads are never ours, and neither is a name typed by hand in another
// case. (Certificate names that cas_upload_name writes alike, "a.b" and "a-b", share their uploads' names.)
bool is_cas_upload_of(std::string_view name, std::string_view prefix, std::string_view certificate_name);

// The CAS ids to delete once the listener serves `current` (its CertId, the cas_upload_name of the served leaf,
// and that leaf's SHA-256 as sha2), newest first. Candidates are the entries of `uploads` (duplicate ids
// counted once) that is_cas_upload_of(prefix, certificate_name) and are older than `current`, ordered by the
// date in their name, then by CertId; never `current`'s id, an id in `in_use` (what the listener still
// references), or an upload of the served leaf itself (is_our_upload). The `keep_previous` newest candidates
// are kept (a negative value counts as 0); at most max_deletions_per_deploy (cleanup_bound.hpp) are returned, the
// newest first. Never fails.
std::vector<std::int64_t> cas_uploads_to_delete(const std::vector<cloud::alibaba::cas_certificate>& uploads,
                                                std::string_view prefix, std::string_view certificate_name,
                                                const cloud::alibaba::cas_certificate& current,
                                                const std::set<std::int64_t>& in_use, int keep_previous);

}  // namespace certman::deploy
