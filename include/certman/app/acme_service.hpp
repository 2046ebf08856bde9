// What a renewal pass needs from the CA, as a narrow interface (STYLE.md §6): the account, the order flow
// (RFC 8555 §7.4) and ACME Renewal Information (RFC 9773 §4.1). make_acme_service wraps acme::client: it
// sets the account up once from the key in storage (creating and storing one on first use), and fetches the
// directory once, without an account, for the renewalInfo URL. Unit tests of the pass script a fake instead.
#pragma once
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include "certman/acme/client.hpp"
#include "certman/app/blocking_pool.hpp"
#include "certman/app/config.hpp"
#include "certman/app/status.hpp"
#include "certman/core/result.hpp"
#include "certman/net/http_client.hpp"
#include "certman/storage/storage.hpp"

namespace certman::app {

// The answer to GET <renewalInfo>/<certID>, unparsed (policy::parse_renewal_info reads it).
struct renewal_info_answer {
    std::string url;                         // the URL asked, for the log
    result<net::http_response> response;     // a transport error as it came
};

class acme_service {
public:
    virtual ~acme_service() = default;
    // Sets the ACME account up (once; later calls return at once). Errors (details logged):
    // errc::config_error (no agree_tos, a profile the CA does not offer), errc::corrupt_data (the stored
    // account key does not parse), errc::cancelled, anything else: the CA or storage could not be reached.
    virtual boost::asio::awaitable<result<void>> ensure_account() = 0;
    // The directory URL orders go to (valid after ensure_account succeeded).
    virtual std::string directory_url() const = 0;
    // One order, as acme::client::order_certificate (a client set up before a reload finishes its order).
    virtual boost::asio::awaitable<result<acme::issued_certificate>> order_certificate(acme::order_request request,
        acme::challenge_sink& sink, acme::cancel_check cancel, std::optional<acme::problem>* ca_problem) = 0;
    // RFC 9773 §4.1: the unauthenticated GET of the certificate's renewalInfo; nullopt when the CA offers no
    // ARI or its directory cannot be read (the order path reports an unreachable CA).
    virtual boost::asio::awaitable<std::optional<renewal_info_answer>> fetch_renewal_info(std::string cert_id) = 0;
    // Drops the account set up so far (orders in flight keep theirs): the next ensure_account reads the
    // key from storage again (after a reload, `certman account rollover` or `certman import --account`).
    virtual void forget_account() {}
    // The underlying client for other commands (revoke); null before ensure_account succeeded.
    virtual acme::client* client() = 0;
};

// `cfg` is the live configuration (a reload assigns a new value to the same object): a changed [acme]
// directory sets a new account up on the next use, while orders in flight keep their client. `http` and
// the rest outlive the service; `http` is asked for the client on first use (a challenge-only instance then
// never loads the trust store); `stats` counts the client's requests for /metrics.
std::unique_ptr<acme_service> make_acme_service(boost::asio::any_io_executor ex, const config& cfg,
                                                std::string config_path, storage::storage& store,
                                                std::function<net::http_client&()> http, blocking_pool& blocking,
                                                acme_stats& stats);

}  // namespace certman::app
