export * from './access-policy';
export { RecordAccess, GetAccessLog } from './record-access';
