import Numerics

// OpenBLAS chooses its kernels when the library loads; if it fell back to slow generic kernels
// on a CPU it does not recognise, restart once with the best kernel set this CPU supports.
BLASRuntime.ensureOptimalKernels()
RtpipeCommand.runAndExit()
