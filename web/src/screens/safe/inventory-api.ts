// The controlled-substance log as the API answers it (docs/api.md "The controlled-substance log", issue 14 §2): the
// formulary, containers with their balance, entries, counts and discrepancies, and the inspector's reports. Amounts
// are exact integers in the container's counting unit (microlitres of a vial, devices of an esketamine kit); these
// helpers only turn them into the mL, mg and devices a person reads. The server decides every rule; a refusal is
// shown in its words at the field it names.
import { get, post, request, type Query } from '../../api';
import { formatQuantity } from '../../format';
import { t, tn } from '../../i18n';

export type CountingUnit = 'ul' | 'device';

// Every amount the API answers: in the container's counting unit, and in mg and mL (`ml` null for a kit).
export interface Quantity {
  readonly units: number;
  readonly mg: number;
  readonly ml: number | null;
}

export interface Product {
  readonly code: string;
  readonly drug: string;
  readonly description: string;
  readonly unit: CountingUnit;
  readonly units_per_container: number;
  readonly container: Quantity;
  readonly multi_dose: boolean;
}

export interface Balance {
  readonly received: Quantity;
  readonly given: Quantity;
  readonly wasted: Quantity;
  readonly destroyed: Quantity;
  readonly returned_to_supplier: Quantity;
  readonly discrepancy: Quantity;
  readonly in_hand: Quantity;
  readonly on_hand: Quantity;
}

export type EntryKind =
  | 'receipt'
  | 'transfer'
  | 'draw'
  | 'return_to_stock'
  | 'waste'
  | 'destruction'
  | 'return_to_supplier'
  | 'count'
  | 'resolution'
  | 'correction';

export interface Entry {
  readonly id: number;
  readonly container_id: number;
  readonly kind: EntryKind;
  readonly amount?: Quantity | null;
  readonly given?: Quantity | null;
  readonly expected?: Quantity | null;
  readonly refers_to?: number | null;
  readonly administration_id?: number | null;
  readonly patient_id?: number | null;
  readonly location?: string;
  readonly reference?: string;
  readonly reason?: string;
  readonly witness?: string;
  readonly corrected_by?: number | null;
  readonly recorded_at: string;
  readonly recorded_by: string;
}

// A container as received (what the reports carry); `Container` adds where it is now and its balance.
export interface ContainerRecord {
  readonly id: number;
  readonly product: string;
  readonly drug: string;
  readonly description: string;
  readonly unit: CountingUnit;
  readonly multi_dose: boolean;
  readonly lot_number: string;
  readonly expires_on: string;
  readonly supplier: string;
  readonly invoice: string;
  readonly received_at: string;
  readonly received_by: string;
}

export interface Container extends ContainerRecord {
  readonly location: string;
  readonly expired: boolean;
  readonly closed: boolean;
  readonly balance: Balance;
  readonly open_draws: number[];
  readonly open_discrepancies: number[];
  readonly entries?: Entry[];
}

export interface Discrepancy {
  readonly count: Entry;
  readonly product: string;
  readonly description: string;
  readonly lot_number: string;
  readonly resolution: Entry | null;
}

// An amount as a person gives it: a vial's in mg or mL (exactly one), a kit's in devices.
// Left empty ({}), the server names the field that needs one.
export type Amount =
  | { readonly mg: number }
  | { readonly ml: number }
  | { readonly devices: number }
  | Readonly<Record<string, never>>;

// The second person's own credentials, sent with the one request they confirm and never kept (docs/api.md
// "Witness": authenticated in that request, without a session of their own and never with the actor's).
export interface WitnessCredentials {
  readonly email: string;
  readonly password: string;
}

export interface NewReceipt {
  readonly product: string;
  readonly lot_number: string;
  readonly expires_on: string;
  readonly supplier: string;
  readonly invoice: string;
  readonly location: string;
  readonly containers: number;
}

// The person to whom a draw was dispensed (21 CFR 1304.22(c): name and address).
export interface DispensedTo {
  readonly id: number;
  readonly mrn: string;
  readonly given_name: string;
  readonly family_name: string;
  readonly address: string;
}

export interface DispensingLine {
  readonly entry: Entry;
  readonly container: ContainerRecord;
  readonly patient: DispensedTo;
  readonly returned: Quantity;
  readonly wasted: Quantity;
  readonly waste_witnesses: string[];
}

export interface InventoryLine {
  readonly container: ContainerRecord;
  readonly location: string;
  readonly balance: Balance;
}

export interface InventoryReport {
  readonly at: string;
  readonly lines: InventoryLine[];
}

// A list as docs/api.md shows it: a bare array, or the paged lists' {"items": [...]}.
type List<T> = T[] | { readonly items: T[] };
function itemsOf<T>(list: List<T>): T[] {
  return Array.isArray(list) ? list : list.items;
}

const BASE = '/inventory';

// A step a witness confirms. A wrong witness password is answered 401 on `witness` like any failed sign-in; that
// answer is about the witness, not the session of the person at the screen, so the dialog shows it and signs nobody
// out.
async function postWitnessed<T>(path: string, body: unknown): Promise<T> {
  return (await request<T>('POST', path, { body, unauthenticatedIsAnswer: true })).data;
}

export async function listProducts(signal?: AbortSignal): Promise<Product[]> {
  return itemsOf(await get<List<Product>>(`${BASE}/products`, undefined, signal));
}

export async function listContainers(includeClosed: boolean, signal?: AbortSignal): Promise<Container[]> {
  const query: Query = includeClosed ? { include_closed: true } : {};
  return itemsOf(await get<List<Container>>(`${BASE}/containers`, query, signal));
}

export function getContainer(id: number, signal?: AbortSignal): Promise<Container> {
  return get<Container>(`${BASE}/containers/${id}`, undefined, signal);
}

export async function receive(receipt: NewReceipt): Promise<Container[]> {
  return (await post<{ containers: Container[] }>(`${BASE}/receipts`, receipt)).containers;
}

export function draw(container: number, administrationId: number, drawn: Amount, given: Amount): Promise<Container> {
  return post<Container>(`${BASE}/containers/${container}/draws`, { administration_id: administrationId, drawn, given });
}

export function returnToStock(drawEntry: number, amount: Amount): Promise<Container> {
  return post<Container>(`${BASE}/entries/${drawEntry}/return-to-stock`, { amount });
}

// Waste of a draw's remainder (`drawEntry`), or of stock itself (a broken vial).
export function waste(
  container: number,
  drawEntry: number | undefined,
  amount: Amount,
  reason: string,
  witness: WitnessCredentials,
): Promise<Container> {
  return postWitnessed<Container>(`${BASE}/containers/${container}/waste`, {
    ...(drawEntry === undefined ? {} : { draw_entry_id: drawEntry }),
    amount,
    reason,
    witness,
  });
}

// Destroys everything on hand (expired or damaged stock) before a witness.
export function destroy(container: number, reason: string, witness: WitnessCredentials): Promise<Container> {
  return postWitnessed<Container>(`${BASE}/containers/${container}/destruction`, { reason, witness });
}

export interface FoundLine {
  readonly container_id: number;
  readonly amount: Amount;
}

export async function count(
  location: string,
  found: FoundLine[],
  note: string,
  witness: WitnessCredentials,
): Promise<Container[]> {
  const body = { location, found, note, witness };
  return (await postWitnessed<{ containers: Container[] }>(`${BASE}/counts`, body)).containers;
}

export async function listDiscrepancies(openOnly: boolean, signal?: AbortSignal): Promise<Discrepancy[]> {
  return itemsOf(await get<List<Discrepancy>>(`${BASE}/discrepancies`, openOnly ? { open: true } : {}, signal));
}

// The open discrepancies addressed to the user (issue 14 §2: the medical director's, or every prescriber's while none
// is designated); an empty list for anyone else.
export async function listDiscrepancyAlerts(signal?: AbortSignal): Promise<Discrepancy[]> {
  return itemsOf(await get<List<Discrepancy>>(`${BASE}/discrepancy-alerts`, undefined, signal));
}

export function resolve(countEntry: number, explanation: string): Promise<Discrepancy> {
  return post<Discrepancy>(`${BASE}/entries/${countEntry}/resolve`, { explanation });
}

export type ReportKind = 'dispensing' | 'inventory' | 'losses';

// The address of a report as CSV, for a download link (the session cookie goes with it; GET needs no CSRF token).
export function reportCsvHref(kind: ReportKind, query: Readonly<Record<string, string>>): string {
  const params = new URLSearchParams({ ...query, format: 'csv' });
  return `/api/v1${BASE}/reports/${kind}?${params.toString()}`;
}

export async function dispensingLog(
  drug: string,
  from: string,
  to: string,
  signal?: AbortSignal,
): Promise<DispensingLine[]> {
  return itemsOf(await get<List<DispensingLine>>(`${BASE}/reports/dispensing`, { drug, from, to }, signal));
}

// The inventory as of `at`, or now (the server's now: a browser's clock a little ahead would ask for the future).
export function inventoryAsOf(at: string | undefined, signal?: AbortSignal): Promise<InventoryReport> {
  return get<InventoryReport>(`${BASE}/reports/inventory`, { at }, signal);
}

export async function losses(from: string, to: string, signal?: AbortSignal): Promise<Entry[]> {
  return itemsOf(await get<List<Entry>>(`${BASE}/reports/losses`, { from, to }, signal));
}

// ----- amounts as a person reads them ------------------------------------------------------------------------------

// "4.2 mL (210 mg)" for a vial, "2 devices (56 mg)" for a kit: the counting unit first, the drug amount beside it.
export function formatAmount(unit: CountingUnit, quantity: Quantity): string {
  const mg = formatQuantity(quantity.mg, 'mg');
  if (unit === 'device' || quantity.ml === null) {
    return t('safe.amount.devices', { devices: tn('safe.devices', quantity.units), mg });
  }
  // Microlitres are exact: a volume that is not whole hundredths of a mL keeps its third decimal.
  const ml = formatQuantity(quantity.ml, 'mL', quantity.units % 10 === 0 ? undefined : 3);
  return t('safe.amount.vial', { ml, mg });
}

// An amount whose container is not at hand (a discrepancy, a report's line): a kit's amounts carry no mL.
export function formatMeasured(quantity: Quantity): string {
  return formatAmount(quantity.ml === null ? 'device' : 'ul', quantity);
}
