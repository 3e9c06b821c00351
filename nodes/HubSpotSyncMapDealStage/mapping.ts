/**
 * Deal stage ⇄ order status mapping, per pipeline (受注ステータスとの対応付け: how the order system's statuses
 * match deal stages). Pure logic: the rows as the operator edited them, checked against HubSpot's
 * pipelines.
 */
import type { Pipeline } from '../shared/deals/pipelines';

export interface MappingRow {
	/** "pipelineId/stageId", as stored by the stage dropdown. */
	stage: string;
	status: string;
	/** For status → stage: the stage a status writes back to in its pipeline. */
	isTarget?: boolean;
}

export interface ResolvedRow {
	index: number;
	pipelineId: string;
	pipelineLabel: string;
	stageId: string;
	stageLabel: string;
	status: string;
	isTarget: boolean;
}

export interface StaleRow {
	index: number;
	stage: string;
	status: string;
	problem: string;
}

export function splitStageKey(key: string): { pipelineId: string; stageId: string } {
	const at = key.indexOf('/');
	return at < 0
		? { pipelineId: '', stageId: key }
		: { pipelineId: key.slice(0, at), stageId: key.slice(at + 1) };
}

/**
 * Checks every row against HubSpot's pipelines: rows naming a pipeline or stage that no longer
 * exists are stale.
 */
export function resolveMapping(
	rows: MappingRow[],
	pipelines: Pipeline[],
): { resolved: ResolvedRow[]; stale: StaleRow[] } {
	const resolved: ResolvedRow[] = [];
	const stale: StaleRow[] = [];
	rows.forEach((row, index) => {
		const { pipelineId, stageId } = splitStageKey(String(row.stage ?? ''));
		const status = String(row.status ?? '').trim();
		const pipeline = pipelines.find((p) => p.id === pipelineId);
		const stage = pipeline?.stages.find((s) => s.id === stageId && !s.archived);
		if (!pipeline)
			stale.push({
				index,
				stage: row.stage,
				status,
				problem: `pipeline "${pipelineId}" no longer exists in HubSpot`,
			});
		else if (!stage)
			stale.push({
				index,
				stage: row.stage,
				status,
				problem: `stage "${stageId}" no longer exists in pipeline "${pipeline.label}"`,
			});
		else if (!status)
			stale.push({
				index,
				stage: row.stage,
				status,
				problem: `no status is set for stage "${stage.label}" in pipeline "${pipeline.label}"`,
			});
		else
			resolved.push({
				index,
				pipelineId,
				pipelineLabel: pipeline.label,
				stageId,
				stageLabel: stage.label,
				status,
				isTarget: row.isTarget === true,
			});
	});
	return { resolved, stale };
}

export type MapResult =
	| {
			mapped: true;
			status?: string;
			dealstage?: string;
			pipelineId: string;
			pipelineLabel: string;
			stageLabel: string;
	  }
	| { mapped: false; reason: string };

/**
 * HubSpot stage → status. A stage without a row is not synced: only mapped stages reach the order
 * system.
 */
export function stageToStatus(
	rows: ResolvedRow[],
	pipelines: Pipeline[],
	pipelineId: string,
	stageId: string,
): MapResult {
	const pipeline = pipelines.find((p) => p.id === pipelineId);
	const stageLabel = pipeline?.stages.find((s) => s.id === stageId)?.label ?? stageId;
	const row = rows.find((r) => r.pipelineId === pipelineId && r.stageId === stageId);
	if (!row) {
		return {
			mapped: false,
			reason: rows.length
				? `Stage "${stageLabel}" of pipeline "${pipeline?.label ?? pipelineId}" has no mapping`
				: 'No stage mapping is set, so no deal syncs from HubSpot',
		};
	}
	return {
		mapped: true,
		status: row.status,
		pipelineId,
		pipelineLabel: row.pipelineLabel,
		stageLabel: row.stageLabel,
	};
}

/**
 * Status → HubSpot stage in the deal's pipeline: the row marked as target, else the first row for
 * that status.
 */
export function statusToStage(
	rows: ResolvedRow[],
	pipelines: Pipeline[],
	pipelineId: string,
	status: string,
): MapResult {
	const pipeline = pipelines.find((p) => p.id === pipelineId);
	const candidates = rows.filter(
		(r) => r.pipelineId === pipelineId && r.status.toLowerCase() === status.trim().toLowerCase(),
	);
	const row = candidates.find((r) => r.isTarget) ?? candidates[0];
	if (!row)
		return {
			mapped: false,
			reason: `Status "${status}" has no stage in pipeline "${pipeline?.label ?? pipelineId}"`,
		};
	return {
		mapped: true,
		dealstage: row.stageId,
		pipelineId,
		pipelineLabel: row.pipelineLabel,
		stageLabel: row.stageLabel,
	};
}
