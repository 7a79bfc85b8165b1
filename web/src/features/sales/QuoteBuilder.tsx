import { useMemo, useState } from 'react';
import { Alert, Button, Group, Loader, NumberInput, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { IconPlus } from '@tabler/icons-react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { api, ApiError } from '../../api/client';
import { EmptyState, ErrorState, LoadingState } from '../../ui/states';
import { ConfigureLine, type DraftLine } from './ConfigureLine';
import { CustomerPicker } from './CustomerPicker';
import { defaultConfiguration, effectiveConfiguration, missingOptions } from './options';
import { PriceResult } from './PriceResult';
import { useProducts, type SalesProduct } from './queries';

let nextKey = 1;
const blankLine = (): DraftLine => ({ key: nextKey++, product: null, quantity: 1, configuration: {}, manualDiscountPercent: 0 });

/** Problem paths `body/lines/<i>/<field…>` → per line, per field ("configuration.gauge"), so each error sits under its control. */
function lineErrors(error: unknown): { byLine: Record<number, Record<string, string>>; other: { path: string; message: string }[] } {
  const byLine: Record<number, Record<string, string>> = {};
  const other: { path: string; message: string }[] = [];
  if (!(error instanceof ApiError)) return { byLine, other };
  for (const e of error.problem.errors ?? []) {
    const m = /^body\/lines\/(\d+)\/(.+)$/.exec(e.path);
    if (m) (byLine[Number(m[1])] ??= {})[m[2].replace(/\//g, '.')] ??= e.message;
    else other.push(e);
  }
  return { byLine, other };
}

/**
 * Configure-price-quote in one sitting: the customer, one or more configured lines, and a live price (with the
 * rules that made it), availability and one delivery date, recomputed as options change. Saving writes version 1.
 */
export function QuoteBuilder() {
  const products = useProducts();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [customerId, setCustomerId] = useState<string | null>(params.get('customer'));
  const opportunityId = params.get('opportunity') ?? undefined;
  const [lines, setLines] = useState<DraftLine[]>(() => [blankLine()]);
  const [needBy, setNeedBy] = useState('');
  const [validDays, setValidDays] = useState<number>(30);
  const [title, setTitle] = useState('');

  const catalogue = products.data ?? [];
  const byCode = useMemo(() => new Map(catalogue.map((p) => [p.code, p])), [catalogue]);
  const chosen = lines.filter((l) => l.product && byCode.has(l.product));
  const divisionId = chosen.length ? byCode.get(chosen[0].product!)!.divisionId : null;
  const mixedDivisions = chosen.some((l) => byCode.get(l.product!)!.divisionId !== divisionId);
  const missing = chosen.flatMap((l, i) => missingOptions(byCode.get(l.product!)!, l.configuration).map((label) => `${label} (line ${i + 1})`));

  const request = useMemo(() => {
    if (!customerId || !divisionId || chosen.length === 0 || chosen.length !== lines.length || mixedDivisions || missing.length > 0) return null;
    return {
      divisionId,
      customerId,
      needBy: needBy || undefined,
      lines: chosen.map((l) => ({
        product: l.product!,
        quantity: l.quantity,
        configuration: effectiveConfiguration(byCode.get(l.product!)!, l.configuration),
        manualDiscountPercent: l.manualDiscountPercent || undefined,
      })),
    };
  }, [customerId, divisionId, chosen, lines.length, mixedDivisions, missing.length, needBy, byCode]);
  // Compared as text: the request object is rebuilt on every render, its content is not.
  const requestJson = request ? JSON.stringify(request) : null;
  const [debounced] = useDebouncedValue(requestJson, 350);

  const price = useQuery({
    queryKey: ['sales', 'price', debounced],
    enabled: !!debounced,
    retry: false,
    placeholderData: keepPreviousData,
    queryFn: ({ signal }) => api.post('/api/v1/sales/price', { body: JSON.parse(debounced!) as NonNullable<typeof request>, signal }),
  });
  const priceIsCurrent = !!debounced && debounced === requestJson && !price.isPlaceholderData;

  const save = useMutation({
    mutationFn: () => api.post('/api/v1/sales/quotes', { body: { ...request!, channel: 'rep', opportunityId, validDays, title: title.trim() || undefined } }),
    onSuccess: (quote) => navigate(`/sales/quotes/${quote.id}`),
  });

  if (products.isPending) return <LoadingState label="Loading the catalogue…" />;
  if (products.isError) return <ErrorState error={products.error} onRetry={() => void products.refetch()} />;
  if (catalogue.length === 0) return <EmptyState title="Nothing to sell yet">An administrator adds products to the sales catalogue first.</EmptyState>;

  const errors = lineErrors(price.error ?? save.error);
  const setLine = (i: number, line: DraftLine) => setLines((ls) => ls.map((l, j) => (j === i ? line : l)));
  const pickProduct = (i: number, code: string | null) => {
    const p: SalesProduct | undefined = code ? byCode.get(code) : undefined;
    setLine(i, { ...lines[i], product: code, configuration: p ? defaultConfiguration(p) : {} });
  };

  return (
    <Stack gap="md">
      <Group align="flex-end" wrap="wrap">
        <CustomerPicker value={customerId} onChange={setCustomerId} />
        <TextInput label="Needed by" type="date" value={needBy} onChange={(e) => setNeedBy(e.currentTarget.value)} w={180} />
        <TextInput label="Quote title" value={title} onChange={(e) => setTitle(e.currentTarget.value)} w={260} placeholder="Optional" />
      </Group>
      {lines.map((line, i) => (
        <ConfigureLine
          key={line.key}
          index={i}
          line={line}
          products={catalogue}
          errors={errors.byLine[i] ?? {}}
          onChange={(l) => setLine(i, l)}
          onProduct={(code) => pickProduct(i, code)}
          onRemove={lines.length > 1 ? () => setLines((ls) => ls.filter((_, j) => j !== i)) : undefined}
        />
      ))}
      <Group>
        <Button variant="light" leftSection={<IconPlus size={16} />} onClick={() => setLines((ls) => [...ls, blankLine()])}>
          Add a line
        </Button>
      </Group>
      {mixedDivisions && (
        <Alert color="yellow" title="One division per quote">
          These products come from different divisions; quote them separately.
        </Alert>
      )}
      {!request && !mixedDivisions && (
        <Text size="sm" c="dimmed" role="status">
          {missing.length > 0
            ? `Still to choose: ${missing.join(', ')}.`
            : 'Choose a customer and a product for every line to see the price and delivery date.'}
        </Text>
      )}
      {request && (
        <section aria-label="Price and delivery" aria-busy={price.isFetching || !priceIsCurrent}>
          {price.isError ? (
            <ErrorState error={price.error} title={price.error instanceof ApiError && price.error.status === 400 ? 'This configuration breaks a rule' : undefined} />
          ) : price.data ? (
            <Stack gap="xs" style={{ opacity: priceIsCurrent ? 1 : 0.6 }}>
              {!priceIsCurrent && (
                <Group gap="xs">
                  <Loader size="xs" />
                  <Text size="xs" c="dimmed">
                    Repricing…
                  </Text>
                </Group>
              )}
              <PriceResult priced={price.data} />
            </Stack>
          ) : (
            <LoadingState label="Pricing…" minHeight={80} />
          )}
        </section>
      )}
      {save.isError && <ErrorState error={save.error} title="The quote was not saved" />}
      <Group>
        <NumberInput label="Valid for" suffix=" days" min={1} max={365} value={validDays} onChange={(v) => setValidDays(Number(v) || 30)} w={140} />
        <Button mt="lg" onClick={() => save.mutate()} disabled={!request || price.isError || !priceIsCurrent} loading={save.isPending}>
          Save as quote
        </Button>
      </Group>
    </Stack>
  );
}
