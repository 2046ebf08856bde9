// A deployer makes one target (an SLB listener, a running HAProxy, a directory of PEM files) serve a stored
// certificate. The renewal manager calls deploy() after every successful issuance and again on each pass
// while the last deploy failed.
//
// Contract of deployer::deploy:
//  - Idempotent and convergent: called again with the same bundle after a failure at any step, it finishes
//    the job without duplicates (re-checks the target's state rather than trusting memory).
//  - Returns deploy_outcome{changed=false} when the target already serves this certificate.
//  - On failure returns a failure (core/failure.hpp) with errc::* (cloud_error, io_error, timeout,
//    protocol_error ...) whose message is one line an SRE can act on: which target, which step, the peer's
//    code/message; never a private key, a secret or a string-to-sign. The message travels in the result, so
//    deployers running at once never see each other's errors.
//  - Every network step has a timeout; retries (throttling, busy) stay bounded inside one call.
//  - The arguments are references: they must outlive the returned awaitable (co_await it directly, or keep
//    named objects alive when co_spawning it).
//  - Runs on the daemon's single io_context thread; deployers of one certificate run independently (one
//    failing does not block another).
#pragma once
#include <boost/asio/awaitable.hpp>
#include <memory>
#include <string>
#include "certman/core/result.hpp"
#include "certman/storage/bundle.hpp"

namespace certman::deploy {

struct deploy_outcome {
    bool changed = false;   // the target was updated (false: it already served this certificate)
    std::string detail;     // one line for the log, e.g. "listener 443 now serves certificate 1234 (uploaded)"
};

class deployer {
public:
    virtual ~deployer() = default;
    virtual const std::string& name() const = 0;  // the [[deployer]] name
    virtual boost::asio::awaitable<result<deploy_outcome>> deploy(const std::string& certificate_name,
                                                                  const storage::certificate_bundle& bundle) = 0;
};

}  // namespace certman::deploy
