/** The extract stage: the clean artifact in, the extracted artifact out. */
import type { ObjectStore } from '../adapters/object-store';
import type { Extraction } from '../core/extract/index';
import { extractStage } from '../core/pipeline';
import { PIPELINE_VERSION } from '../core/record';
import { artifactKey, assertStageRef, type StageRef } from '../shared/chain';
import type { CleanArtifact } from './clean';

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
    const clean = await deps.store.getJson<CleanArtifact>(ref.artifact as string);
    const extraction = extractStage(clean.article);
    const artifact = artifactKey('extracted', ref.articleId);
    await deps.store.putJson(artifact, { ...clean, extraction, pipelineVersion: PIPELINE_VERSION } satisfies ExtractedArtifact);
    return { ...ref, artifact };
  };
