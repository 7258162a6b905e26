// The finding vocabulary lives in core/findings (shared with the Prisma rules); rule files import it from here.
export type { Finding, Fix, Position, Range, RuleCategory, Severity, TextEdit } from '../findings/types';
