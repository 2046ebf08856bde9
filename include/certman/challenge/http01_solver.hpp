// HTTP-01 (RFC 8555 §8.3) solvers: the key authorization is answered by certman's own public port
// (net/server.hpp: GET /.well-known/acme-challenge/<token>), which the load balancer forwards to.
//  - make_http01_memory_solver: one instance; present() puts the token into the in-memory challenge store
//    (net/challenge_store.hpp), cleanup() removes it. Visible at once.
//  - make_http01_shared_solver: cluster mode (docs/cluster-mode.md). The load balancer may send the CA's
//    request to any instance, so present() also stores the key authorization in the shared storage under
//    storage::challenge_key(token); an instance that does not hold the token reads it from there
//    (app/challenge_fallback.hpp, the read side of this solver). cleanup() removes both.
// Both keep the contract of acme/challenge_solver.hpp; type() is "http-01".
// Errors from present(): errc::protocol_error (a token that is not base64url), else the storage's code
// (logged with the failure's message).
#pragma once
#include <memory>
#include "certman/acme/challenge_solver.hpp"
#include "certman/net/challenge_store.hpp"
#include "certman/storage/storage.hpp"

namespace certman::challenge {

// `memory` must outlive the solver.
std::unique_ptr<acme::challenge_solver> make_http01_memory_solver(net::challenge_store& memory);

// `memory` and `shared` must outlive the solver.
std::unique_ptr<acme::challenge_solver> make_http01_shared_solver(net::challenge_store& memory,
                                                                  storage::storage& shared);

}  // namespace certman::challenge
