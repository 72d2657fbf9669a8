import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, HttpStatus, Inject } from '@nestjs/common';
import { EventStoreAccessDeniedError, EventStoreError, EventStoreUnavailableError, InvalidAppendError, StreamDeletedError, WrongExpectedVersionError } from '@doorbraak/event-store';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '@doorbraak/logging';
import { DomainError, FORBIDDEN_KEY, fieldErrors } from '@doorbraak/kernel';
import { ZodError } from 'zod';
import { PROBLEM_CONTENT_TYPE, type Problem, problemType } from './problem';
import { LOGGER } from '../tokens';
import { correlationIdOf } from './correlation-id';
import { ForbiddenKeyError } from './json-body';

/** Turns every error into problem+json; never leaks stack traces or SQL. */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const correlationId = correlationIdOf(request);
    const problem = { ...this.toProblem(exception), instance: request.url, correlationId };
    if (problem.status >= 500) {
      this.logger.error({ err: exception, correlationId, route: request.routeOptions?.url }, 'request failed');
    }
    if (problem.status === HttpStatus.SERVICE_UNAVAILABLE) void reply.header('retry-after', '1');
    void reply.status(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
  }

  private toProblem(exception: unknown): Problem {
    if (exception instanceof ZodError) {
      return {
        type: problemType('validation'),
        title: 'The request is not valid',
        status: HttpStatus.BAD_REQUEST,
        errors: fieldErrors(exception),
      };
    }
    if (exception instanceof ForbiddenKeyError) {
      return { type: problemType('validation'), title: 'The request is not valid', status: HttpStatus.BAD_REQUEST, errors: [{ pointer: exception.pointer, detail: FORBIDDEN_KEY }] };
    }
    if (exception instanceof DomainError) return domainProblem(exception);
    if (exception instanceof WrongExpectedVersionError) {
      return {
        type: problemType('stale-version'),
        title: 'The resource changed since you read it',
        status: HttpStatus.PRECONDITION_FAILED,
        detail: `current version is ${exception.actual}`,
        code: exception.code,
      };
    }
    if (exception instanceof InvalidAppendError) {
      return {
        type: problemType('validation'),
        title: 'The request is not valid',
        status: HttpStatus.BAD_REQUEST,
        errors: [{ pointer: `#/${exception.path}`, detail: exception.message }],
      };
    }
    if (exception instanceof EventStoreUnavailableError) {
      return { type: problemType('unavailable'), title: 'The event store is not available right now; retry (with the same Idempotency-Key)', status: HttpStatus.SERVICE_UNAVAILABLE, code: exception.code };
    }
    if (exception instanceof StreamDeletedError) {
      return { type: problemType('gone'), title: 'This resource was deleted in the event store', status: HttpStatus.GONE, code: exception.code };
    }
    if (exception instanceof EventStoreAccessDeniedError) {
      // The ledger's own credentials are wrong: the operator's problem, not the caller's.
      return { type: 'about:blank', title: 'Internal Server Error', status: HttpStatus.INTERNAL_SERVER_ERROR };
    }
    if (exception instanceof EventStoreError) {
      return { type: problemType('conflict'), title: exception.message, status: HttpStatus.CONFLICT, code: exception.code };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      return { type: 'about:blank', title: exception.message, status };
    }
    const status = statusOfFrameworkError(exception);
    if (status) return { type: 'about:blank', title: (exception as Error).message, status };
    return { type: 'about:blank', title: 'Internal Server Error', status: HttpStatus.INTERNAL_SERVER_ERROR };
  }
}

const STATUS_OF_KIND = { invalid: 400, conflict: 409, not_found: 404, forbidden: 403 } as const;

/** A broken business rule: 409 for a conflict with the current state, with the rule's code and its extras. */
function domainProblem(error: DomainError): Problem {
  const { code, kind, path, message, name: _name, stack: _stack, ...extensions } = error as DomainError & Record<string, unknown>;
  return {
    type: problemType(code.toLowerCase().replace(/[._]/g, '-')),
    title: message,
    status: STATUS_OF_KIND[kind],
    code,
    ...(path ? { errors: [{ pointer: `#/${path}`, detail: message }] } : {}),
    ...extensions,
  };
}

/** Fastify's own 4xx errors (malformed JSON, body too large, bad content type) carry a statusCode. */
function statusOfFrameworkError(exception: unknown): number | undefined {
  const status = (exception as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
