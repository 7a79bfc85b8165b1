import { useEffect, useRef, type KeyboardEvent } from 'react';
import { Badge, Group, Skeleton, Text, VisuallyHidden } from '@mantine/core';
import { useInViewport, useMergedRef } from '@mantine/hooks';
import { formatProbability, parseExplanation } from '../explanation';
import { recordName } from '../recordComparison';
import { useSourceRecord, type ReviewPair } from '../queries';
import classes from './PairList.module.css';

/** A short tag for why the pair is waiting, matching the longer sentence in the comparison. */
export function holdTag(pair: ReviewPair): { label: string; colour: string } | null {
  const e = parseExplanation(pair.explanation);
  if (e?.refused === 'unique-source') return { label: 'one per system', colour: 'grape' };
  if (e?.refused === 'incoherent') return { label: 'clusters disagree', colour: 'grape' };
  if (e && pair.match_weight !== null && e.weight - pair.match_weight > 0.01) return { label: 'household?', colour: 'orange' };
  return null;
}

function probabilityColour(p: number) {
  if (p >= 0.8) return 'teal';
  if (p >= 0.5) return 'yellow';
  return 'gray';
}

function RecordLine({ id, load }: { id: string; load: boolean }) {
  const record = useSourceRecord(id, load);
  if (record.data) return <>{recordName(record.data)}</>;
  if (record.isError) return <>a record you cannot see</>;
  return <Skeleton component="span" display="inline-block" h={12} w={110} />;
}

function PairOption({ pair, selected, onSelect }: { pair: ReviewPair; selected: boolean; onSelect: () => void }) {
  // Names are fetched only for pairs scrolled into view: the queue can hold 200 pairs.
  const { ref: viewRef, inViewport } = useInViewport<HTMLDivElement>();
  const own = useRef<HTMLDivElement>(null);
  const ref = useMergedRef(viewRef, own);
  useEffect(() => {
    if (selected) own.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);
  const load = inViewport || selected;
  const tag = holdTag(pair);
  return (
    <div ref={ref} id={`pair-${pair.id}`} role="option" aria-selected={selected} className={classes.option} onClick={onSelect}>
      <Group justify="space-between" wrap="nowrap" align="flex-start" gap="xs">
        <div className={classes.names}>
          <RecordLine id={pair.record_a} load={load} />
          <Text span c="dimmed" fw={400} mx={4} aria-hidden>
            ↔
          </Text>
          <VisuallyHidden> and </VisuallyHidden>
          <RecordLine id={pair.record_b} load={load} />
        </div>
        <Badge size="sm" variant="light" color={probabilityColour(pair.match_probability)} style={{ flexShrink: 0 }}>
          {formatProbability(pair.match_probability)}
        </Badge>
      </Group>
      {tag && (
        <Badge size="xs" variant="outline" color={tag.colour} tt="none" mt={4}>
          {tag.label}
        </Badge>
      )}
    </div>
  );
}

interface Props {
  pairs: ReviewPair[];
  selectedId: string | null;
  onSelect(id: string): void;
  onMove(step: 1 | -1): void;
}

/** The queue as a listbox: arrow keys (and J / K anywhere on the page) move the selection. */
export function PairList({ pairs, selectedId, onSelect, onMove }: Props) {
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      onMove(e.key === 'ArrowDown' ? 1 : -1);
    }
  };
  return (
    <div role="listbox" aria-label="Pairs to review" tabIndex={0} aria-activedescendant={selectedId ? `pair-${selectedId}` : undefined} className={classes.list} onKeyDown={onKeyDown}>
      {pairs.map((p) => (
        <PairOption key={p.id} pair={p} selected={p.id === selectedId} onSelect={() => onSelect(p.id)} />
      ))}
    </div>
  );
}
