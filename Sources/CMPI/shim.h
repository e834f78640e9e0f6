// OpenMPI's C API for the Partition module. MPI's predefined handles are macros over casts of global
// objects (MPI_COMM_WORLD is ((MPI_Comm) &ompi_mpi_comm_world)), which Swift cannot import: these
// functions return them. Everything else (MPI_Init_thread, MPI_Bcast, ...) Swift calls directly.
#include <mpi.h>

static inline MPI_Comm rollsim_mpi_comm_world(void) { return MPI_COMM_WORLD; }
static inline MPI_Datatype rollsim_mpi_byte(void) { return MPI_BYTE; }
static inline MPI_Datatype rollsim_mpi_int(void) { return MPI_INT; }
static inline MPI_Datatype rollsim_mpi_int64(void) { return MPI_INT64_T; }
static inline MPI_Datatype rollsim_mpi_double(void) { return MPI_DOUBLE; }
static inline MPI_Op rollsim_mpi_sum(void) { return MPI_SUM; }
static inline int rollsim_mpi_thread_funneled(void) { return MPI_THREAD_FUNNELED; }
static inline int rollsim_mpi_max_processor_name(void) { return MPI_MAX_PROCESSOR_NAME; }
static inline int rollsim_mpi_max_library_version_string(void) { return MPI_MAX_LIBRARY_VERSION_STRING; }
