// The bound on deleting superseded uploads (the SLB server certificates of slb_plan.hpp, the CAS uploads of
// cas_listener_plan.hpp): the list comes from the cloud service, and a listing of thousands must not turn one
// deploy into thousands of delete calls. The rest wait for the next deploy, which deletes the next batch.
#pragma once
#include <cstddef>

namespace certman::deploy {
inline constexpr std::size_t max_deletions_per_deploy = 20;
}  // namespace certman::deploy
