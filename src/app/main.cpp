#include <cstdio>
#include "certman/version.hpp"
int main() { std::printf("certman %s\n", certman::version); }
