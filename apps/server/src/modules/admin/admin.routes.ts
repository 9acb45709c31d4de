import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { actorOf, principalOf, requirePermission } from '../../platform/access.ts';
import { errors, IdParams, Ok } from '@sanita/contracts/common';
import type { AdminService } from './admin.service.ts';
import * as S from '@sanita/contracts/admin';

export const adminRoutes: FastifyPluginAsyncTypebox<{ admin: AdminService }> = async (app, { admin }) => {
  const usersRead = requirePermission('users:read', 'users:write');
  const usersWrite = requirePermission('users:write');

  app.get(
    '/api/admin/users',
    {
      preHandler: usersRead,
      schema: {
        tags: ['admin'],
        summary: 'List user accounts',
        querystring: S.UsersQuery,
        response: { 200: S.UsersPage, ...errors(400, 401, 403) },
      },
    },
    async (req) => admin.listUsers(req.query.q, req.query.limit ?? 50, req.query.cursor, req.query.includePatients ?? false),
  );
  app.post(
    '/api/admin/users',
    {
      preHandler: usersWrite,
      schema: {
        tags: ['admin'],
        summary: 'Invite a staff member by email',
        body: S.InviteBody,
        response: { 201: S.AdminUser, ...errors(400, 401, 403, 409) },
      },
    },
    async (req, reply) => reply.status(201).send(await admin.invite(principalOf(req), actorOf(req), req.body)),
  );
  app.get(
    '/api/admin/users/:id',
    {
      preHandler: usersRead,
      schema: {
        tags: ['admin'],
        summary: 'One user account',
        params: IdParams,
        response: { 200: S.AdminUser, ...errors(401, 403, 404) },
      },
    },
    async (req) => admin.getUser(req.params.id),
  );
  app.patch(
    '/api/admin/users/:id',
    {
      preHandler: usersWrite,
      schema: {
        tags: ['admin'],
        summary: 'Rename, change language, deactivate or reactivate',
        params: IdParams,
        body: S.UpdateUserBody,
        response: { 200: S.AdminUser, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => admin.updateUser(principalOf(req), actorOf(req), req.params.id, req.body),
  );
  app.put(
    '/api/admin/users/:id/memberships',
    {
      preHandler: usersWrite,
      schema: {
        tags: ['admin'],
        summary: 'Set the clinics and roles of a user',
        params: IdParams,
        body: S.MembershipsBody,
        response: { 200: S.AdminUser, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => admin.setMemberships(principalOf(req), actorOf(req), req.params.id, req.body.memberships),
  );
  app.post(
    '/api/admin/users/:id/unlock',
    {
      preHandler: usersWrite,
      schema: {
        tags: ['admin'],
        summary: 'Lift a lockout',
        params: IdParams,
        response: { 200: S.AdminUser, ...errors(401, 403, 404) },
      },
    },
    async (req) => admin.unlock(actorOf(req), req.params.id),
  );
  app.post(
    '/api/admin/users/:id/invitation',
    {
      preHandler: usersWrite,
      schema: {
        tags: ['admin'],
        summary: 'Send the invitation again',
        params: IdParams,
        response: { 200: Ok, ...errors(401, 403, 404, 409) },
      },
    },
    async (req) => {
      await admin.resendInvitation(actorOf(req), req.params.id);
      return { ok: true };
    },
  );
  app.get(
    '/api/admin/roles',
    {
      preHandler: requirePermission('roles:write', 'users:write'),
      schema: {
        tags: ['admin'],
        summary: 'Roles and the permission matrix',
        response: { 200: S.RolesView, ...errors(401, 403) },
      },
    },
    async () => admin.roles(),
  );
  app.put(
    '/api/admin/roles/:id',
    {
      preHandler: requirePermission('roles:write'),
      schema: {
        tags: ['admin'],
        summary: "Set a role's permissions and 2FA policy (applies on the next request)",
        params: S.RoleParams,
        body: S.RoleBody,
        response: { 200: S.RoleView, ...errors(400, 401, 403, 404) },
      },
    },
    async (req) => admin.setRole(principalOf(req), actorOf(req), req.params.id, req.body.permissions, req.body.requireMfa),
  );
  app.get(
    '/api/admin/audit',
    {
      preHandler: requirePermission('audit:read'),
      schema: {
        tags: ['admin'],
        summary: 'Browse the audit trail',
        querystring: S.AuditQuery,
        response: { 200: S.AuditPage, ...errors(400, 401, 403) },
      },
    },
    async (req) => {
      const { cursor, limit, ...f } = req.query;
      return admin.audit(actorOf(req), { ...f, cursor, limit: limit ?? 50 });
    },
  );
  app.post(
    '/api/admin/audit/verify',
    {
      preHandler: requirePermission('audit:read'),
      schema: {
        tags: ['admin'],
        summary: 'Verify the audit hash chain and name the first bad row',
        response: { 200: S.VerifyView, ...errors(401, 403) },
      },
    },
    async (req) => admin.verify(actorOf(req)),
  );
};
