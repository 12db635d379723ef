/* The installed `kws` command: the CLI's code lives in libkws.so.1 beside the C API (one copy of the Swift
 * runtime for both, which keeps the installation small: README "Using kws from C"), so this program only
 * enters it. `make install` compiles it against the installed library (rpath $ORIGIN/../lib). kws_main is the
 * CLI's entry point (SwiftPM names an executable's @main so); it is not part of the C API in kws.h. */
int kws_main(int argc, char **argv);

int main(int argc, char **argv) {
    return kws_main(argc, argv);
}
