/** The payload of one enactment job: everything the agent needs to apply a policy generation. */
export interface EnactmentJobData {
  policy: string;
  generation: number;
  /** `metadata.uid` of the policy. */
  uid: string;
  node: string;
  /** Hash of `desiredState` (the coordinator's canonical JSON hash). */
  desiredHash: string;
  /** The rendered desired state (captures resolved): a model `NetworkState`. */
  desiredState: unknown;
}

/** A job as the agent's processor sees it. */
export interface EnactmentJob {
  id: string;
  data: EnactmentJobData;
  /** Times BullMQ started this job before (above 0 after a stalled delivery). */
  attemptsStarted: number;
}

/** The job name on every node queue. */
export const ENACTMENT_JOB_NAME = 'enact';
