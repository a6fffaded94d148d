/* Host-test probe of uknr's private reader-writer lock (see rw_probe.c). */
#ifndef __UKNR_RW_PROBE_H__
#define __UKNR_RW_PROBE_H__

#ifdef __cplusplus
extern "C" {
#endif

struct rw_probe;

struct rw_probe *rw_probe_new(unsigned int readers);
void rw_probe_free(struct rw_probe *p);
void rw_probe_write_lock(struct rw_probe *p);
void rw_probe_write_unlock(struct rw_probe *p);
void rw_probe_read_lock(struct rw_probe *p, unsigned int slot);
void rw_probe_read_unlock(struct rw_probe *p, unsigned int slot);
int rw_probe_writer_waiting(struct rw_probe *p);

#ifdef __cplusplus
}
#endif

#endif
