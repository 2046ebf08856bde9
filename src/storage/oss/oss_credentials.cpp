// oss_storage's access key: the same credential chain as the SLB deployer (contract in oss_credentials.hpp).
#include "oss_credentials.hpp"

#include <stdexcept>

#include "certman/cloud/alibaba/credentials_provider.hpp"

namespace certman::storage {

cloud::alibaba::credentials_source make_oss_credentials(boost::asio::any_io_executor executor,
                                                        const oss_storage_options& config) {
    if (!config.access_key_id.empty() && config.access_key_secret_file.empty())
        throw std::runtime_error("[storage] access_key_id is set but access_key_secret_file is not");
    auto provider = cloud::alibaba::make_credentials_provider_for(std::move(executor), config);
    return [provider]() -> boost::asio::awaitable<result<cloud::alibaba::credentials>> {
        co_return co_await provider->get();
    };
}

}  // namespace certman::storage
