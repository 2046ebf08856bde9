// Deleting superseded CAS uploads (contract in cas_cleanup.hpp).
#include "cas_cleanup.hpp"

#include <spdlog/spdlog.h>

#include "certman/cloud/alibaba/cas_client.hpp"
#include "certman/deploy/cas_listener_plan.hpp"

namespace certman::deploy {
namespace ali = cloud::alibaba;

namespace {

// True when a failed DeleteUserCertificate says nothing about that one certificate: the next would fail alike.
bool stops_cleanup(const failure& f) {
    const auto& code = f.peer_code();
    return code.empty() || code.starts_with("Throttling") || !ali::cas_hint(code, "DeleteUserCertificate").empty();
}

}  // namespace

boost::asio::awaitable<cas_cleanup_outcome> delete_superseded_uploads(ali::cas_client& cas,
                                                                      std::vector<ali::cas_certificate> listed,
                                                                      const cas_cleanup_request& r) {
    cas_cleanup_outcome out;
    auto expired = co_await cas.list_uploads("EXPIRED");
    if (!expired) {
        spdlog::warn("deployer {}: cleanup: list expired CAS certificates: {} (retried on the next deploy)",
                     r.deployer, expired.error().what());
        ++out.failed;
        co_return out;
    }
    listed.insert(listed.end(), expired->begin(), expired->end());
    const auto doomed =
        cas_uploads_to_delete(listed, r.prefix, r.certificate_name, r.current, r.in_use, r.keep_previous);
    for (std::size_t i = 0; i < doomed.size(); ++i) {
        auto del = co_await cas.delete_upload(doomed[i]);
        if (del) {
            ++out.deleted;
            spdlog::info("deployer {}: deleted superseded CAS certificate {}", r.deployer, doomed[i]);
            continue;
        }
        ++out.failed;
        spdlog::warn("deployer {}: cleanup: delete CAS certificate {}: {} (retried on the next deploy)", r.deployer,
                     doomed[i], del.error().what());
        if (stops_cleanup(del.error())) {
            if (i + 1 < doomed.size())
                spdlog::warn("deployer {}: cleanup: {} more CAS certificate(s) wait for the next deploy", r.deployer,
                             doomed.size() - i - 1);
            break;
        }
    }
    co_return out;
}

}  // namespace certman::deploy
