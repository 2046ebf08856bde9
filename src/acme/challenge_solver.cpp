// The default readiness of a challenge solver (contract in include/certman/acme/challenge_solver.hpp).
#include "certman/acme/challenge_solver.hpp"

namespace certman::acme {

boost::asio::awaitable<result<void>> challenge_solver::wait_ready(const challenge_params&) {
    co_return result<void>{};  // visible once present() returned (memory, storage read by the public port)
}

}  // namespace certman::acme
