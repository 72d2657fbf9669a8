export { ShreddingEventStore, ERASED } from './shredding-event-store';
export { SubjectKeyStore, SubjectErasedError, subjectKeysSchema, sealedForLiveSubjects, type SubjectKey } from './subject-keys';
