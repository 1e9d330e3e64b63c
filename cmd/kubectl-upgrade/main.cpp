// Placeholder entry point; the CLI issue replaces it with the command table.
#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--help") != 0) {
    std::fprintf(stderr, "error: \"%s\" is not implemented yet\n", argv[1]);
    return 1;
  }
  std::puts("kubectl upgrade: upgrade a kubeadm cluster one verified step at a time.");
  return 0;
}
