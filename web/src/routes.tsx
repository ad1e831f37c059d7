// Every page of the app: its address pattern, the permission it needs (access.ts), its screen and, for the main
// areas, its place in the navigation. Screen helpers replace the placeholder views here and add their routes.
import type { JSX } from 'preact';
import type { Permission } from './access';
import type { MessageKey } from './i18n';
import type { Params } from './router';
import { AddUserPage } from './screens/admin/add-user-page';
import { AuditPage } from './screens/admin/audit-page';
import { SettingsPage } from './screens/admin/settings-page';
import { UsersPage } from './screens/admin/users-page';
import { BoardPage } from './screens/board/board-page';
import { NotesPage } from './screens/notes/notes-page';
import { ChartPage } from './screens/patients/chart';
import { DoseOrderPage } from './screens/patients/dose-order';
import { IntakePage } from './screens/patients/intake';
import { PatientsPage, RegisterPatientPage } from './screens/patients/patients';
import { PortalPage } from './screens/portal/portal-page';
import { ContainerPage } from './screens/safe/container-page';
import { CountPage } from './screens/safe/count-page';
import { ReportsPage } from './screens/safe/reports-page';
import { SafePage } from './screens/safe/safe-page';
import { QuestionnairePage } from './screens/portal/questionnaire-page';
import { SchedulePage } from './screens/schedule/schedule-page';
import { SessionPage } from './screens/session/session-page';
import { StandingOrdersPage } from './screens/session/standing-orders-page';
import { SecondFactorPage } from './views/second-factor';

export interface RouteDef {
  readonly pattern: string;
  readonly permission: Permission;
  readonly view: (props: { params: Params }) => JSX.Element;
  // Shown in the main navigation under this label; the entry is current for addresses under the pattern.
  readonly nav?: MessageKey;
}

export const routes: readonly RouteDef[] = [
  { pattern: '/board', permission: 'session.read', view: BoardPage, nav: 'nav.board' },
  { pattern: '/sessions/:id', permission: 'session.read', view: SessionPage },
  { pattern: '/patients', permission: 'patient.list', view: PatientsPage, nav: 'nav.patients' },
  { pattern: '/patients/new', permission: 'patient.register', view: RegisterPatientPage },
  { pattern: '/patients/:id', permission: 'patient.read', view: ChartPage },
  { pattern: '/patients/:id/intake', permission: 'history.read', view: IntakePage },
  { pattern: '/patients/:id/sessions/:session/dose-order', permission: 'dose_order.sign', view: DoseOrderPage },
  { pattern: '/patients/:id/notes', permission: 'note.read', view: NotesPage },
  { pattern: '/schedule', permission: 'appointment.read', view: SchedulePage, nav: 'nav.schedule' },
  { pattern: '/standing-orders', permission: 'standing_order.read', view: StandingOrdersPage, nav: 'nav.standingOrders' },
  { pattern: '/safe', permission: 'inventory.read', view: SafePage, nav: 'nav.safe' },
  { pattern: '/safe/containers/:id', permission: 'inventory.read', view: ContainerPage },
  { pattern: '/safe/count', permission: 'inventory.read', view: CountPage },
  { pattern: '/safe/reports', permission: 'inventory.read', view: ReportsPage },
  { pattern: '/admin', permission: 'user.manage', view: UsersPage, nav: 'nav.admin' },
  // Every staff member's own second factor (the header links to it; every staff role reads settings); a patient has
  // none yet.
  { pattern: '/account/second-factor', permission: 'settings.read', view: () => <SecondFactorPage /> },
  { pattern: '/admin/users/new', permission: 'user.manage', view: AddUserPage },
  { pattern: '/admin/settings', permission: 'settings.change', view: SettingsPage },
  { pattern: '/admin/audit', permission: 'audit.read', view: AuditPage },
  { pattern: '/portal', permission: 'portal.read', view: PortalPage, nav: 'nav.portal' },
  { pattern: '/portal/questionnaires/:instrument', permission: 'portal.read', view: QuestionnairePage },
];
