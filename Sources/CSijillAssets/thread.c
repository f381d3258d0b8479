#define _GNU_SOURCE
#include "CSijillAssets.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

int sijill_lower_thread_priority(int niceness) {
    /* On Linux each thread has its own nice value; PRIO_PROCESS with a thread ID sets it. */
    pid_t tid = (pid_t)syscall(SYS_gettid);
    return setpriority(PRIO_PROCESS, (id_t)tid, niceness);
}
