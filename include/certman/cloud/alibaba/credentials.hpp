// An Alibaba Cloud access key as the signers consume it: a long-lived RAM user key, or an STS triple (ECS RAM role,
// AssumeRole) whose `security_token` must travel with every request (RPC param SecurityToken, OSS header
// x-oss-security-token). Where the key comes from (config, env, IMDS) is the credential chain's business, not this.
#pragma once
#include <string>

namespace certman::cloud::alibaba {

struct credentials {
    std::string access_key_id;
    std::string access_key_secret;
    std::string security_token;  // empty unless STS

    bool is_sts() const noexcept { return !security_token.empty(); }
};

}  // namespace certman::cloud::alibaba
