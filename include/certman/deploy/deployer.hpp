// A deployer makes one target (an SLB listener, a running HAProxy, a directory of PEM files) serve a stored
// certificate. The renewal manager calls deploy() after every successful issuance and again on each pass
// while the last deploy failed.
//
// Kinds and their options: each adapter owns a plain options struct in this layer
// (slb_deployer_options.hpp, haproxy_deployer_options.hpp, files_deployer_options.hpp) and a make_*
// factory that validates it (std::invalid_argument naming the deployer: a startup misconfiguration, never
// a deploy-time error). app/config.hpp composes the options as app::deployer_options, one std::variant
// alternative per kind; app/deployer_factory.cpp visits it. A new kind = an options struct with its
// `kind` string, an adapter, one alternative, and the arms the compiler then asks for.
//
// Contract of deployer::deploy:
//  - Idempotent and convergent: called again with the same bundle after a failure at any step, it finishes
//    the job without duplicates (re-checks the target's state rather than trusting memory).
//  - "Already deployed" means the target serves this bundle's leaf now, judged from the target itself (the
//    listener's certificate fingerprint, HAProxy's `show ssl cert` fingerprint, the files' bytes, mode and
//    owner with no reload pending), not from a record of an earlier deploy. Then it returns
//    deploy_outcome{changed=false} and changes nothing (haproxy_deployer.hpp: a stale crt_path file is still
//    rewritten so that a restart of HAProxy keeps the certificate, and that counts as changed).
//  - On failure returns a failure (core/failure.hpp) with errc::* (cloud_error, io_error, timeout,
//    protocol_error, unsupported, not_found ...) whose message is one line an SRE can act on: which target,
//    which step, the peer's code/message; never a private key, a secret or a string-to-sign. The message
//    travels in the result, so deployers running at once never see each other's errors. A failure may leave the target half-way (a file
//    written, an upload not yet attached); the next call finishes it.
//  - Every network step and child process has a timeout (the options' `timeout`, or the SLB request
//    timeout); retries (throttling, busy) stay bounded inside one call, so one call ends in bounded time.
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
