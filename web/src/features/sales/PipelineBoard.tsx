import { useMemo, useState, type DragEvent } from 'react';
import { ActionIcon, Anchor, Badge, Button, Group, Menu, Modal, Paper, ScrollArea, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconArrowsMove, IconGripVertical } from '@tabler/icons-react';
import { describeError, EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { formatDate, formatMoney } from '../../ui/format';
import { BOARD_LIMIT, useForecast, useMoveOpportunity, useOpportunities, useUserNames, type OpportunitySummary, type Pipeline, type Stage } from './queries';
import classes from './PipelineBoard.module.css';

const DRAG_TYPE = 'application/x-rapport-opportunity';

/**
 * One pipeline as a kanban: a column per stage with its count and totals. A card moves by dragging it
 * (native HTML5 drag and drop) or, from the keyboard, with its "Move" menu; both call the API and the board
 * puts the card back when the server refuses.
 */
export function PipelineBoard({ pipeline, onOpen }: { pipeline: Pipeline; onOpen: (id: string) => void }) {
  const opportunities = useOpportunities(pipeline.id);
  const move = useMoveOpportunity(pipeline.id);
  const ownerName = useUserNames();
  const [dragOver, setDragOver] = useState<string | null>(null);
  const [lostMove, setLostMove] = useState<{ opp: OpportunitySummary; stage: Stage } | null>(null);
  const stages = useMemo(() => [...pipeline.stages].sort((a, b) => a.position - b.position), [pipeline.stages]);

  const byStage = useMemo(() => {
    const map = new Map<string, OpportunitySummary[]>(stages.map((s) => [s.code, []]));
    for (const o of opportunities.data?.items ?? []) map.get(o.stageCode)?.push(o);
    return map;
  }, [opportunities.data, stages]);

  const requestMove = (opp: OpportunitySummary, stage: Stage) => {
    if (opp.stageCode === stage.code) return;
    if (stage.outcome === 'lost') return setLostMove({ opp, stage });
    doMove(opp, stage);
  };
  const doMove = (opp: OpportunitySummary, stage: Stage, lostReason?: string) => {
    move.mutate(
      { id: opp.id, stageCode: stage.code, lostReason },
      {
        onSuccess: () => notifications.show({ color: 'green', message: `${opp.name} moved to ${stage.name}` }),
        onError: (err) => {
          const { title, detail } = describeError(err);
          notifications.show({ color: 'red', title: `${opp.name} stays where it was: ${title}`, message: detail });
        },
      },
    );
  };

  if (opportunities.isPending) return <LoadingState label="Loading the pipeline…" />;
  if (opportunities.isError) return <ErrorState error={opportunities.error} onRetry={() => void opportunities.refetch()} />;
  const items = opportunities.data.items;

  const onDrop = (e: DragEvent, stage: Stage) => {
    e.preventDefault();
    setDragOver(null);
    const id = e.dataTransfer.getData(DRAG_TYPE);
    const opp = items.find((o) => o.id === id);
    if (opp) requestMove(opp, stage);
  };

  return (
    <Stack gap="md">
      {items.length === 0 && <EmptyState title="No opportunities in this pipeline yet">Open one from a customer's page or through the API; it appears in its first stage.</EmptyState>}
      {opportunities.data.nextCursor && (
        <Text size="sm" c="dimmed" role="status">
          Showing the newest {BOARD_LIMIT} opportunities; older ones are not on the board.
        </Text>
      )}
      <ScrollArea type="auto" offsetScrollbars>
        <Group align="flex-start" wrap="nowrap" gap="sm" role="list" aria-label={`${pipeline.name} stages`}>
          {stages.map((stage) => {
            const cards = byStage.get(stage.code) ?? [];
            const total = cards.reduce((s, o) => s + o.amount, 0);
            const weighted = cards.reduce((s, o) => s + o.amount * (stage.probability / 100), 0);
            const currency = cards[0]?.currency ?? 'USD';
            return (
              <Paper
                key={stage.id}
                withBorder
                p="xs"
                className={classes.column}
                data-over={dragOver === stage.code || undefined}
                role="listitem"
                aria-label={`${stage.name}: ${cards.length} opportunities`}
                data-stage={stage.code}
                onDragOver={(e) => {
                  if (!e.dataTransfer.types.includes(DRAG_TYPE)) return;
                  e.preventDefault();
                  e.dataTransfer.dropEffect = 'move';
                  setDragOver(stage.code);
                }}
                onDragLeave={() => setDragOver((s) => (s === stage.code ? null : s))}
                onDrop={(e) => onDrop(e, stage)}
              >
                <Stack gap={4} mb="xs">
                  <Group justify="space-between" gap={4}>
                    <Title order={3} size="h6">
                      {stage.name}
                    </Title>
                    <Badge variant="light" color={stage.outcome === 'won' ? 'green' : stage.outcome === 'lost' ? 'gray' : 'blue'}>
                      {cards.length}
                    </Badge>
                  </Group>
                  <Text size="xs" c="dimmed">
                    {formatMoney(total, currency)} · {stage.probability}% → {formatMoney(weighted, currency)}
                  </Text>
                </Stack>
                <Stack gap="xs">
                  {cards.map((o) => (
                    <Paper
                      key={o.id}
                      withBorder
                      p="xs"
                      className={classes.card}
                      draggable
                      data-opportunity={o.id}
                      onDragStart={(e) => {
                        e.dataTransfer.setData(DRAG_TYPE, o.id);
                        e.dataTransfer.effectAllowed = 'move';
                      }}
                      onDragEnd={() => setDragOver(null)}
                    >
                      <Group gap={4} wrap="nowrap" align="flex-start">
                        <IconGripVertical size={14} className={classes.grip} aria-hidden />
                        <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                          <Anchor component="button" type="button" size="sm" fw={600} onClick={() => onOpen(o.id)} className={classes.name}>
                            {o.name}
                          </Anchor>
                          <Text size="xs">{formatMoney(o.amount, o.currency)}</Text>
                          <Text size="xs" c="dimmed">
                            {ownerName(o.ownerUserId)} · closes {formatDate(o.expectedClose)}
                          </Text>
                        </Stack>
                        <Menu position="bottom-end" withinPortal>
                          <Menu.Target>
                            <ActionIcon variant="subtle" size="sm" aria-label={`Move ${o.name}`}>
                              <IconArrowsMove size={14} />
                            </ActionIcon>
                          </Menu.Target>
                          <Menu.Dropdown>
                            <Menu.Label>Move to</Menu.Label>
                            {stages
                              .filter((s) => s.code !== o.stageCode)
                              .map((s) => (
                                <Menu.Item key={s.id} onClick={() => requestMove(o, s)}>
                                  {s.name}
                                </Menu.Item>
                              ))}
                          </Menu.Dropdown>
                        </Menu>
                      </Group>
                    </Paper>
                  ))}
                </Stack>
              </Paper>
            );
          })}
        </Group>
      </ScrollArea>
      <ForecastByOwner pipeline={pipeline} ownerName={ownerName} />
      <LostReasonModal
        move={lostMove}
        onCancel={() => setLostMove(null)}
        onConfirm={(reason) => {
          if (lostMove) doMove(lostMove.opp, lostMove.stage, reason);
          setLostMove(null);
        }}
      />
    </Stack>
  );
}

function LostReasonModal({ move, onCancel, onConfirm }: { move: { opp: OpportunitySummary; stage: Stage } | null; onCancel: () => void; onConfirm: (reason: string) => void }) {
  const [reason, setReason] = useState('');
  return (
    <Modal opened={!!move} onClose={onCancel} title={move ? `Move ${move.opp.name} to ${move.stage.name}` : ''}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onConfirm(reason.trim());
          setReason('');
        }}
      >
        <Stack>
          <TextInput label="Why was it lost?" required value={reason} onChange={(e) => setReason(e.currentTarget.value)} data-autofocus />
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel}>
              Cancel
            </Button>
            <Button type="submit" disabled={!reason.trim()}>
              Move
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function ForecastByOwner({ pipeline, ownerName }: { pipeline: Pipeline; ownerName: (id: string | null) => string }) {
  const forecast = useForecast(pipeline.id);
  return (
    <Paper withBorder p="md">
      <Title order={2} size="h5" mb="xs">
        Forecast by owner
      </Title>
      {forecast.isPending ? (
        <LoadingState label="Loading the forecast…" minHeight={80} />
      ) : forecast.isError ? (
        <ErrorState error={forecast.error} onRetry={() => void forecast.refetch()} />
      ) : forecast.data.rows.length === 0 ? (
        <Text size="sm" c="dimmed">
          Nothing to forecast yet.
        </Text>
      ) : (
        <Table striped aria-label="Forecast by owner">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Owner</Table.Th>
              <Table.Th ta="right">Open</Table.Th>
              <Table.Th ta="right">Weighted</Table.Th>
              <Table.Th ta="right">Won</Table.Th>
              <Table.Th ta="right">Lost</Table.Th>
              <Table.Th ta="right">Win rate</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {forecast.data.rows.map((r) => (
              <Table.Tr key={`${r.ownerUserId}-${r.currency}`}>
                <Table.Td>{r.ownerUserId === '*' ? 'Everyone' : ownerName(r.ownerUserId)}</Table.Td>
                <Table.Td ta="right">
                  {formatMoney(r.open.amount, r.currency)} ({r.open.count})
                </Table.Td>
                <Table.Td ta="right">{formatMoney(r.open.weighted, r.currency)}</Table.Td>
                <Table.Td ta="right">
                  {formatMoney(r.won.amount, r.currency)} ({r.won.count})
                </Table.Td>
                <Table.Td ta="right">
                  {formatMoney(r.lost.amount, r.currency)} ({r.lost.count})
                </Table.Td>
                <Table.Td ta="right">{r.winRate === null ? '—' : `${Math.round(r.winRate * 100)}%`}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Paper>
  );
}
