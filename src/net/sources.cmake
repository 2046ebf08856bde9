target_sources(certman_io PRIVATE src/net/asio_impl.cpp)
