import { ActionIcon, Group, MultiSelect, NumberInput, Paper, Select, SimpleGrid, Stack, Switch, Text, Title } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { applies } from './options';
import type { SalesProduct } from './queries';

export interface DraftLine {
  key: number;
  product: string | null;
  quantity: number;
  configuration: Record<string, unknown>;
  manualDiscountPercent: number;
}

/** One line of the quote: the product, how many, its options (only those that apply) and the rep's discount. */
export function ConfigureLine({
  index,
  line,
  products,
  errors,
  onChange,
  onProduct,
  onRemove,
}: {
  index: number;
  line: DraftLine;
  products: SalesProduct[];
  errors: Record<string, string>;
  onChange: (line: DraftLine) => void;
  onProduct: (code: string | null) => void;
  onRemove?: () => void;
}) {
  const product = products.find((p) => p.code === line.product);
  const set = (code: string, value: unknown) => onChange({ ...line, configuration: { ...line.configuration, [code]: value } });
  const lineLabel = `Line ${index + 1}`;
  return (
    <Paper withBorder p="md" component="fieldset" aria-label={lineLabel} style={{ border: undefined }}>
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={3} size="h5">
            {lineLabel}
            {product ? `: ${product.name}` : ''}
          </Title>
          {onRemove && (
            <ActionIcon variant="subtle" color="red" aria-label={`Remove ${lineLabel.toLowerCase()}`} onClick={onRemove}>
              <IconTrash size={16} />
            </ActionIcon>
          )}
        </Group>
        <Group align="flex-end">
          <Select
            label="Product"
            placeholder="Choose a product"
            required
            searchable
            value={line.product}
            onChange={onProduct}
            data={products.map((p) => ({ value: p.code, label: `${p.name} (${p.code})` }))}
            error={errors.product}
            w={320}
          />
          <NumberInput label="Quantity" required min={1} max={100000} value={line.quantity} onChange={(v) => onChange({ ...line, quantity: Number(v) || 1 })} error={errors.quantity} w={120} />
          <NumberInput
            label="Your discount"
            suffix=" %"
            min={0}
            max={100}
            decimalScale={2}
            value={line.manualDiscountPercent}
            onChange={(v) => onChange({ ...line, manualDiscountPercent: Number(v) || 0 })}
            error={errors.manualDiscountPercent}
            w={140}
          />
        </Group>
        {product && product.kind === 'bundle' && (
          <Text size="sm" c="dimmed">
            A bundle of {product.definition.bundleItems.map((i) => `${i.quantity} × ${i.product}`).join(', ')}, configured as the bundle fixes it.
          </Text>
        )}
        {product && product.definition.options.length > 0 && (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
            {product.definition.options
              .filter((o) => applies(o, line.configuration))
              .map((o) => {
                const error = errors[`configuration.${o.code}`];
                const value = line.configuration[o.code];
                if (o.kind === 'number')
                  return (
                    <NumberInput
                      key={o.code}
                      label={o.label}
                      required={o.required}
                      min={o.min}
                      max={o.max}
                      step={o.step}
                      suffix={` ${o.unit}`}
                      value={typeof value === 'number' ? value : ''}
                      onChange={(v) => set(o.code, v === '' ? undefined : Number(v))}
                      description={`${o.min}–${o.max} ${o.unit}`}
                      error={error}
                    />
                  );
                if (o.kind === 'boolean')
                  return <Switch key={o.code} label={o.label} checked={value === true} onChange={(e) => set(o.code, e.currentTarget.checked)} error={error} mt="lg" />;
                const data = o.choices.map((c) => ({ value: c.code, label: c.label }));
                return o.multiple ? (
                  <MultiSelect
                    key={o.code}
                    label={o.label}
                    required={o.required && (o.multiple.min ?? 0) > 0}
                    data={data}
                    value={Array.isArray(value) ? (value as string[]) : []}
                    onChange={(v) => set(o.code, v)}
                    maxValues={o.multiple.max}
                    clearable
                    error={error}
                  />
                ) : (
                  <Select key={o.code} label={o.label} required={o.required} data={data} value={typeof value === 'string' ? value : null} onChange={(v) => set(o.code, v ?? undefined)} clearable={!o.required} error={error} />
                );
              })}
          </SimpleGrid>
        )}
      </Stack>
    </Paper>
  );
}
