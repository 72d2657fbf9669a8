export { ShreddingEventStore, ERASED } from './shredding-event-store';
export { SubjectKeyStore, SubjectErasedError, subjectKeysSchema, type SubjectKey } from './subject-keys';
