// ACME Renewal Information (RFC 9773): fetch the CA's suggested renewal window for a stored certificate.
// Unauthenticated GET of <renewalInfo>/<certID> (§4.1); polled again at the server's Retry-After (clamped so
// that it happens at least twice a day); the window and the poll time persist in the certificate's state.
// A failed or malformed answer is logged and also waits for the next poll time (§4.3: meanwhile the client
// renews on its own schedule), so a broken endpoint never gets a request per pass.
#include <spdlog/spdlog.h>
#include "certificate_job.hpp"
#include "certman/acme/time_format.hpp"
#include "certman/crypto/certificate.hpp"
#include "certman/policy/ari.hpp"
#include "certman/core/rfc3339.hpp"

namespace certman::app {
namespace asio = boost::asio;

asio::awaitable<void> certificate_job::refresh_ari() {
    const auto& name = cert_.name;
    auto& state = state_;
    const auto now = now_;
    auto facts = crypto::inspect_certificate(bundle_->certificate_pem);
    if (!facts || facts->authority_key_id.empty()) co_return;
    const auto id = policy::ari_cert_id(facts->authority_key_id, facts->serial_der);
    if (state.ari_cert_id != id) {  // another certificate (renewed here or elsewhere): the old advice is void
        state.ari.reset();
        state.ari_cert_id = id;
        state.ari_next_poll = {};
    }
    d_.memory.ari_polls[name] = state.ari_next_poll;
    if (now < state.ari_next_poll) co_return;
    auto answer = co_await d_.acme.fetch_renewal_info(id);
    if (!answer) co_return;
    const auto& res = answer->response;
    std::optional<std::chrono::seconds> retry_after;
    if (res)
        if (auto h = res->header("Retry-After")) retry_after = acme::parse_retry_after(*h, d_.clock.now());
    state.ari_next_poll = policy::ari_next_poll(retry_after, now);
    d_.memory.ari_polls[name] = state.ari_next_poll;

    std::string why;
    if (!res) why = res.error().message();
    else if (res->status != 200) why = "HTTP " + std::to_string(res->status);
    else if (auto window = policy::parse_renewal_info(res->body, retry_after, now)) {
        const bool changed = !state.ari || state.ari->start != window->start || state.ari->end != window->end;
        state.ari = std::move(*window);
        if (changed)
            spdlog::info("certificate {}: CA suggests renewing between {} and {}{}", name,
                         format_rfc3339(state.ari->start), format_rfc3339(state.ari->end),
                         state.ari->explanation_url.empty() ? "" : " (see " + state.ari->explanation_url + ")");
        co_return;
    } else {
        why = "malformed answer: " + window.error().message();
    }
    // Named first: GCC 12 and ?: with temporaries in a coroutine (see STYLE).
    std::string fallback = state.ari ? std::string("keeping the CA's last window") : std::string("using the lifetime rule");
    spdlog::warn("certificate {}: renewalInfo {} failed ({}); {} until the next poll at {}", name, answer->url, why, fallback,
                 format_rfc3339(state.ari_next_poll));
}
}  // namespace certman::app
