/** The extract stage: the clean article in (inline or from S3), the extracted artifact out (always stored in S3). */
import type { ObjectStore } from '../adapters/object-store';
import type { Extraction } from '../core/extract/index';
import { extractStage } from '../core/pipeline';
import { PIPELINE_VERSION } from '../core/record';
import { artifactKey, assertStageRef, type StageRef } from '../shared/chain';
import type { CleanArtifact } from './clean';
import { received, withoutOutput } from './hand-over';

export interface ExtractDeps {
  store: ObjectStore;
}

export interface ExtractedArtifact extends CleanArtifact {
  extraction: Extraction;
  /** The pipeline version that extracted it. */
  pipelineVersion?: number;
}

export const makeExtract = (deps: ExtractDeps) =>
  async function extract(event: unknown): Promise<StageRef> {
    const ref = assertStageRef(event);
    if (ref.status !== 'OK') return ref;
    const clean = await received<CleanArtifact>(deps.store, ref);
    const extraction = extractStage(clean.article);
    // Always stored: the clean text and what was found in it, the article's record in S3 (and what `--from index` re-runs from).
    const artifact = artifactKey('extracted', ref.articleId);
    await deps.store.putJson(artifact, { ...clean, extraction, pipelineVersion: PIPELINE_VERSION } satisfies ExtractedArtifact);
    return { ...withoutOutput(ref), artifact };
  };
